import { createServer } from 'node:http';
import { createModelwatch } from '@modelwatch/exporter';

const mw = createModelwatch({
  // A fine-tuned model the bundled price table cannot know.
  prices: { overrides: [{ provider: 'openai', model: 'ft:gpt-4o-mini:acme:support:7', inputPerMTok: 0.3, outputPerMTok: 1.2, cacheReadPerMTok: 0.15 }] },
});

// Any client: wrap the call. Usage in the OpenAI, Anthropic, Gemini or Vercel AI SDK shape is read from the result.
async function callModel(prompt = '') {
  return mw.observeAiCall({ provider: 'openai', model: 'ft:gpt-4o-mini:acme:support:7', operation: 'chat' }, async () => ({
    text: `echo: ${prompt}`,
    usage: { prompt_tokens: 120, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 100 } },
  }));
}

// Streams (async iterables) are handed back wrapped: time to first chunk and the final usage are recorded.
async function* tokens() {
  yield { delta: 'Hel' };
  yield { delta: 'lo', usage: { input_tokens: 40, output_tokens: 2 } };
}
async function streamModel() {
  const stream = mw.observeAiCall({ provider: 'anthropic', model: 'claude-haiku-4-5' }, () => tokens());
  let text = '';
  for await (const chunk of stream) text += chunk.delta;
  return text;
}

// Code that cannot be wrapped in one function: start a call, end it later.
function manualCall() {
  const call = mw.startAiCall({ provider: 'gcp.gemini', model: 'gemini-2.5-flash', operation: 'generate_content' });
  call.end({ promptTokenCount: 50, candidatesTokenCount: 10, thoughtsTokenCount: 5 });
}

// A cache of AI answers: hits record the spend they avoided.
const answers = new Map(); // prompt → answer
const answerCache = mw.observeCache('answers');
async function cachedAnswer(prompt = '') {
  return answerCache.wrap({
    get: () => answers.get(prompt),
    compute: () => callModel(prompt),
    set: (answer) => answers.set(prompt, answer),
    savedCostUsd: () => 0.000084,
  });
}

// Database calls: operation names, never query text.
async function loadProfile(id = '') {
  return mw.observeDb({ system: 'sqlite', operation: 'SELECT' }, async () => ({ id }));
}

await callModel('hello');
await streamModel();
manualCall();
await cachedAnswer('faq');
await cachedAnswer('faq');
await loadProfile('42');

createServer(mw.metricsHandler).listen(Number(process.env.PORT ?? 9464), '127.0.0.1');
