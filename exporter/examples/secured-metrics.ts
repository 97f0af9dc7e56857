import { createModelwatch } from '@modelwatch/exporter';

// No default token: one written in an example protects nothing once copied.
const token = process.env.METRICS_TOKEN;
if (!token) throw new Error('Set METRICS_TOKEN to the bearer token scrapers must send');

const mw = createModelwatch({
  // Scrapers must send "Authorization: Bearer <token>"; or use { username, password } for basic auth.
  metricsEndpoint: { auth: { bearerToken: token } },
  seriesCaps: { genAiOperationDuration: 500 }, // fold model names past 500 label sets into _other
  memoryLimitBytes: 512 * 1024 * 1024, // e.g. a PM2 max_memory_restart; default: the cgroup limit
});

// Metrics on their own port, bound to loopback so only a local agent can scrape them.
const server = await mw.startMetricsServer({ port: Number(process.env.PORT ?? 9464), host: '127.0.0.1' });
console.log(`metrics at ${server.url}`);
