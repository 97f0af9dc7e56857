import type { Worker } from 'node:cluster';

/** What the cluster fixtures (src/cluster/__fixtures__) send the test besides the protocol's messages. */
export interface FixtureMessage {
  fixture?: string;
  id?: number;
  port?: number;
  primaryError?: string;
}

let commandId = 0;

/** The worker's next message matching `predicate`; rejects if the worker exits or sends none in time. */
export function nextMessage(worker: Worker, predicate: (message: FixtureMessage) => boolean, timeoutMs = 30_000): Promise<FixtureMessage> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (message: FixtureMessage) => {
      if (!predicate(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker ${worker.id} exited with ${code} while the test waited for it`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`worker ${worker.id} sent nothing matching in ${timeoutMs} ms`));
    }, timeoutMs);
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}

/** Sends a fixture command; resolves when the worker reports it done (IPC is ordered: whatever it sent before is delivered). */
export function command(worker: Worker, message: Record<string, unknown>): Promise<FixtureMessage> {
  const id = ++commandId;
  const done = nextMessage(worker, (m) => m.fixture === 'done' && m.id === id);
  worker.send({ ...message, id });
  return done;
}

/** Kills a worker and resolves once the primary has seen it exit. */
export function killWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    worker.once('exit', () => resolve());
    worker.process.kill('SIGKILL');
  });
}
