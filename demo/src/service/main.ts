#!/usr/bin/env node
import { serviceLogger } from './logger';
import { optionsFromEnv } from './options';
import { startDemoService } from './start';

/**
 * `node demo/dist/service/main.js`: the demo service configured from the
 * environment. SIGTERM or SIGINT drains and exits 0; a second signal exits at once.
 */
async function main(): Promise<void> {
  const logger = serviceLogger(process.env.LOG_LEVEL);
  let service: Awaited<ReturnType<typeof startDemoService>>;
  try {
    service = await startDemoService({ ...optionsFromEnv(process.env), logger });
  } catch (error) {
    logger.error('service failed to start', { error: (error as Error).message });
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('signal received', { signal });
    service.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error('shutdown failed', { error: error.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
