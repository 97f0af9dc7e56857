import { createServer } from 'node:http';
import { anthropic } from '@ai-sdk/anthropic';
import { openai } from '@ai-sdk/openai';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { createModelwatch, modelwatchMiddleware } from '@modelwatch/exporter';

const mw = createModelwatch();

// One middleware for every provider: provider and model come from the wrapped model.
// (The providers read OPENAI_* and ANTHROPIC_* variables; the AI SDK's ANTHROPIC_BASE_URL ends in /v1.)
const middleware = modelwatchMiddleware(mw);
const gpt = wrapLanguageModel({ model: openai('gpt-4o-mini'), middleware });
const claude = wrapLanguageModel({ model: anthropic('claude-haiku-4-5'), middleware });

const { text } = await generateText({ model: gpt, prompt: 'Suggest a name for a lighthouse cat.' });
console.log(text);

const result = streamText({ model: claude, prompt: 'Write a haiku about fog.' });
for await (const delta of result.textStream) process.stdout.write(delta);
console.log();

createServer(mw.metricsHandler).listen(Number(process.env.PORT ?? 9464), '127.0.0.1');
