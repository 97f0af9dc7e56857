#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startFakeProviders } from './server';

/** `modelwatch-fake-providers [--host H] [--port P] [--seed S] [--time-scale X] [--max-hang-ms MS]`: runs until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      seed: { type: 'string', default: '1' },
      'time-scale': { type: 'string', default: '1' },
      'max-hang-ms': { type: 'string', default: '30000' },
    },
  });
  const providers = await startFakeProviders({
    host: values.host,
    port: Number(values.port),
    seed: Number(values.seed),
    timeScale: Number(values['time-scale']),
    maxHangMs: Number(values['max-hang-ms']),
  });
  console.log(`fake providers listening: OpenAI ${providers.openaiBaseUrl}, Anthropic ${providers.anthropicBaseUrl}, faults ${providers.url}/_fake/faults`);
  const stop = () => {
    void providers.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
