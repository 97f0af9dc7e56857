// A child that starts two grandchildren (one of them a grandchild of its own
// child) and prints their pids, for the "stop leaves no survivor" tests.
// With `stubborn`, every process of the tree ignores SIGTERM, so only SIGKILL ends it.
import { spawn } from 'node:child_process';

const stubborn = process.argv[2] === 'stubborn';
const keepAlive = `${stubborn ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000);`;
if (stubborn) process.on('SIGTERM', () => console.log('tree: ignoring SIGTERM'));
const a = spawn(process.execPath, ['-e', keepAlive], { stdio: 'ignore' });
// b starts its own child c and prints c's pid: a grandchild of the tree root's child.
const b = spawn(process.execPath, ['-e', `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(keepAlive)}], { stdio: 'ignore' }); console.log(c.pid); ${keepAlive}`], { stdio: ['ignore', 'pipe', 'ignore'] });
b.stdout.once('data', (chunk) => console.log(`PIDS ${JSON.stringify([process.pid, a.pid, b.pid, Number(String(chunk).trim())])}`));
setInterval(() => {}, 1000);
