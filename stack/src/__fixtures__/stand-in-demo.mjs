// A stand-in for demo/dist/service/main.js while the demo is being built: the
// same environment contract (PORT, HOST, ADMIN_TOKEN, DATA_DIR, MEMORY_LIMIT_MB,
// FAKE_PROVIDER_TIME_SCALE), /readyz, /healthz, /metrics with the HTTP
// histogram the status line reads, and a graceful SIGTERM.
import { createServer } from 'node:http';

const counts = new Map();
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
let requests = 0;

function metrics() {
  const lines = ['# TYPE http_server_request_duration_seconds histogram'];
  for (const le of buckets) lines.push(`http_server_request_duration_seconds_bucket{http_route="/chat",le="${le}"} ${le >= 0.05 ? requests : 0}`);
  lines.push(`http_server_request_duration_seconds_bucket{http_route="/chat",le="+Inf"} ${requests}`);
  lines.push(`http_server_request_duration_seconds_count{http_route="/chat"} ${requests}`);
  lines.push(`http_server_request_duration_seconds_sum{http_route="/chat"} ${requests * 0.04}`);
  lines.push('# TYPE stand_in_requests_total counter');
  for (const [path, n] of counts) lines.push(`stand_in_requests_total{path="${path}"} ${n}`);
  return `${lines.join('\n')}\n`;
}

const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://x').pathname;
  counts.set(path, (counts.get(path) ?? 0) + 1);
  if (path === '/readyz' || path === '/healthz') return response.end('ok');
  if (path === '/metrics') {
    response.setHeader('content-type', 'text/plain; version=0.0.4');
    return response.end(metrics());
  }
  if (path === '/env') {
    const { PORT, HOST, ADMIN_TOKEN, DATA_DIR, FAKE_PROVIDER_TIME_SCALE, MEMORY_LIMIT_MB } = process.env;
    return response.end(JSON.stringify({ PORT, HOST, ADMIN_TOKEN, DATA_DIR, FAKE_PROVIDER_TIME_SCALE, MEMORY_LIMIT_MB }));
  }
  if (path === '/chat') {
    requests++;
    return response.end('{"answer":"42"}');
  }
  response.statusCode = 404;
  response.end();
});
server.listen(Number(process.env.PORT), process.env.HOST, () => console.log(`stand-in demo on ${process.env.HOST}:${process.env.PORT}`));
process.on('SIGTERM', () => {
  console.log('stand-in demo: SIGTERM, closing');
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
