#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startFakeProviders } from './server';

/**
 * `modelwatch-fake-providers [--host H] [--port P] [--seed S] [--time-scale X] [--max-hang-ms MS] [--control-token T]`:
 * runs until SIGINT/SIGTERM. The control routes (`/_fake/*`) are served only with a token
 * (`--control-token` or `$FAKE_CONTROL_TOKEN`, at least 16 characters).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      seed: { type: 'string', default: '1' },
      'time-scale': { type: 'string', default: '1' },
      'max-hang-ms': { type: 'string', default: '30000' },
      'control-token': { type: 'string' },
    },
  });
  const controlToken = values['control-token'] ?? (process.env.FAKE_CONTROL_TOKEN || undefined);
  const providers = await startFakeProviders({
    host: values.host,
    port: Number(values.port),
    seed: Number(values.seed),
    timeScale: Number(values['time-scale']),
    maxHangMs: Number(values['max-hang-ms']),
    controlToken,
  });
  const control = controlToken ? `faults ${providers.url}/_fake/faults (bearer token required)` : 'no control API (no --control-token)';
  console.log(`fake providers listening: OpenAI ${providers.openaiBaseUrl}, Anthropic ${providers.anthropicBaseUrl}, ${control}`);
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
