import type Anthropic from '@anthropic-ai/sdk';
import type { ChatAnswer, ChatBackend, ChatRequest, ChatStream } from './chat-backend';
import { SYSTEM_PROMPT } from './system-prompt';

/**
 * The system prompt as one block with a cache breakpoint, as Anthropic's docs
 * advise for long instructions: later calls read it from the prompt cache.
 */
const SYSTEM = [{ type: 'text' as const, text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' as const } }];

/** Chat through the official `@anthropic-ai/sdk` client (Messages API). */
export function anthropicBackend(client: Anthropic): ChatBackend {
  return {
    provider: 'anthropic',
    async complete({ prompt, model, maxTokens, signal }: ChatRequest): Promise<ChatAnswer> {
      const message = await client.messages.create(
        { model: model.name, max_tokens: maxTokens, system: SYSTEM, messages: [{ role: 'user', content: prompt }] },
        { signal },
      );
      const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      return { text, provider: 'anthropic', model: model.name, usage: message.usage };
    },
    async stream({ prompt, model, maxTokens, signal }: ChatRequest): Promise<ChatStream> {
      const stream = await client.messages.create(
        { model: model.name, max_tokens: maxTokens, system: SYSTEM, messages: [{ role: 'user', content: prompt }], stream: true },
        { signal },
      );
      let text = '';
      // Anthropic splits usage: input (and cache) tokens on message_start, output tokens on message_delta.
      let usage: Record<string, unknown> | undefined;
      return {
        async *[Symbol.asyncIterator]() {
          for await (const event of stream) {
            if (event.type === 'message_start') usage = { ...event.message.usage };
            else if (event.type === 'message_delta') usage = { ...usage, ...withoutNulls(event.usage) };
            else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
              text += event.delta.text;
              yield event.delta.text;
            }
          }
        },
        answer: () => ({ text, provider: 'anthropic', model: model.name, usage }),
      };
    },
  };
}

/** message_delta repeats the input counts as null when unknown; keep message_start's values. */
function withoutNulls(usage: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== null && value !== undefined));
}
