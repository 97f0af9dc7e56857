import { createServer } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { createModelwatch, instrumentAnthropic } from '@modelwatch/exporter';

const mw = createModelwatch();

// new Anthropic() reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL. Only this client is patched;
// its methods still return the SDK's own APIPromise and Stream.
const anthropic = instrumentAnthropic(new Anthropic(), mw);

const message = await anthropic.messages.create({
  model: 'claude-haiku-4-5',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Suggest a name for a lighthouse cat.' }],
});
console.log(message.content[0]?.type === 'text' ? message.content[0].text : '');

// The stream helper goes through messages.create: recorded too, with its time to first chunk.
const stream = anthropic.messages.stream({
  model: 'claude-haiku-4-5',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Write a haiku about fog.' }],
});
stream.on('text', (text) => process.stdout.write(text));
await stream.finalMessage();
console.log();

createServer(mw.metricsHandler).listen(Number(process.env.PORT ?? 9464), '127.0.0.1');
