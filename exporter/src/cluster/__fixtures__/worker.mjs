// A node:cluster worker for cluster.test.ts: one Modelwatch answering the
// primary, an HTTP server on the port every worker shares, and commands the
// test sends over IPC (`{ fixture: 'ai' | 'hang', id, … }`, answered with `{ fixture: 'done', id }`).
import { createServer } from 'node:http';
import exporter from '../../../dist/index.js';

const { createModelwatch, clusterMetrics } = exporter;

const mw = createModelwatch({ memoryLimitBytes: Number(process.env.MEMORY_LIMIT_BYTES) });
clusterMetrics.worker(mw);

let primaryError = '';
try {
  clusterMetrics.primary();
} catch (error) {
  primaryError = error.message;
}

const server = createServer(
  mw.http(
    (request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end(`served by ${process.pid}\n`);
    },
    { routes: ['/work'] },
  ),
);

const commands = {
  // Known AI calls: each has 100 input and 20 output tokens and lasts 0.5 s, with this worker's trace.
  ai({ calls, traceId, spanId }) {
    for (let i = 0; i < calls; i++) {
      mw.recordAiCall(
        { provider: 'openai', model: 'gpt-4o-mini' },
        { durationSeconds: 0.5, usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }, trace: { traceId, spanId } },
      );
    }
  },
  // Blocks the event loop, as a worker stuck in synchronous work would.
  hang({ ms }) {
    const end = Date.now() + ms;
    while (Date.now() < end);
  },
};

process.on('message', (message) => {
  const run = commands[message?.fixture];
  if (!run) return;
  run(message);
  process.send({ fixture: 'done', id: message.id });
});

server.listen(Number(process.env.SHARED_PORT ?? 0), '127.0.0.1', () => {
  process.send({ fixture: 'listening', port: server.address().port, primaryError });
});
