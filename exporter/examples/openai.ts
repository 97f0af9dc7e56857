import { createServer } from 'node:http';
import OpenAI from 'openai';
import { createModelwatch, instrumentOpenAI } from '@modelwatch/exporter';

const mw = createModelwatch();

// new OpenAI() reads OPENAI_API_KEY and OPENAI_BASE_URL. Only this client is patched;
// its methods still return the SDK's own APIPromise and Stream.
const openai = instrumentOpenAI(new OpenAI(), mw, {
  // Streams report usage only when asked: ask for it on every streaming chat request.
  includeStreamUsage: true,
});

const reply = await openai.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Suggest a name for a lighthouse cat.' }],
});
console.log(reply.choices[0]?.message.content);

const stream = await openai.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Write a haiku about fog.' }],
  stream: true,
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? ''); // the usage chunk has no choices
console.log();

createServer(mw.metricsHandler).listen(Number(process.env.PORT ?? 9464), '127.0.0.1');
