// A parent that starts a managed process tree, prints its pids, then dies the
// way the argument says: `throw` (uncaught exception), `exit` (process.exit),
// or `wait` (until a signal it does not handle, e.g. SIGINT from the test).
import { join } from 'node:path';
import { startProcess } from '../process';

async function main(): Promise<void> {
  const tree = await startProcess({ name: 'tree', command: process.execPath, args: [join(__dirname, 'process-tree.mjs')] });
  const pids = await new Promise<string>((resolve) => {
    const timer = setInterval(() => {
      const line = tree.logs().split('\n').find((l) => l.startsWith('PIDS '));
      if (line) {
        clearInterval(timer);
        resolve(line);
      }
    }, 20);
  });
  console.log(pids);
  const how = process.argv[2];
  if (how === 'throw') setTimeout(() => {
    throw new Error('crash on purpose');
  }, 50);
  else if (how === 'exit') setTimeout(() => process.exit(3), 50);
  else setInterval(() => {}, 1000);
}
void main();
