// A stand-in for demo/dist/traffic/cli.js: `--scenario S --target URL
// [--users N] [--duration 30s]`, sends POST /chat from N loops until the duration ends.
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scenario: { type: 'string' }, target: { type: 'string' }, users: { type: 'string', default: '2' }, duration: { type: 'string', default: '60s' } } });
const seconds = Number.parseFloat(values.duration);
const end = Date.now() + seconds * (values.duration.endsWith('m') ? 60_000 : 1000);
let sent = 0;
console.log(`stand-in traffic: ${values.scenario} ${values.users} users → ${values.target}`);
async function user() {
  while (Date.now() < end) {
    try {
      const response = await fetch(`${values.target}/chat`, { method: 'POST' });
      await response.text();
      sent++;
    } catch {
      // The target is going away; keep looping until the duration ends.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
await Promise.all(Array.from({ length: Number(values.users) }, user));
console.log(`stand-in traffic: done, ${sent} requests`);
