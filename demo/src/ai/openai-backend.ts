import type OpenAI from 'openai';
import type { ChatAnswer, ChatBackend, ChatRequest, ChatStream } from './chat-backend';
import { SYSTEM_PROMPT } from './system-prompt';

/** Chat through the official `openai` client (Chat Completions API). */
export function openAiBackend(client: OpenAI): ChatBackend {
  const messages = (prompt: string) =>
    [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: prompt },
    ] as const;

  return {
    provider: 'openai',
    async complete({ prompt, model, maxTokens, signal }: ChatRequest): Promise<ChatAnswer> {
      const response = await client.chat.completions.create({ model: model.name, messages: [...messages(prompt)], max_tokens: maxTokens }, { signal });
      return { text: response.choices[0]?.message.content ?? '', provider: 'openai', model: model.name, usage: response.usage };
    },
    async stream({ prompt, model, maxTokens, signal }: ChatRequest): Promise<ChatStream> {
      const stream = await client.chat.completions.create(
        { model: model.name, messages: [...messages(prompt)], max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      let text = '';
      let usage: unknown;
      return {
        async *[Symbol.asyncIterator]() {
          for await (const chunk of stream) {
            if (chunk.usage) usage = chunk.usage;
            const delta = chunk.choices[0]?.delta.content;
            if (delta) {
              text += delta;
              yield delta;
            }
          }
        },
        answer: () => ({ text, provider: 'openai', model: model.name, usage }),
      };
    },
  };
}
