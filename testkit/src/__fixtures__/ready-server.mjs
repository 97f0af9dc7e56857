// A child that is ready once /readyz answers, and closes on SIGTERM saying so.
import { createServer } from 'node:http';

const server = createServer((req, res) => res.writeHead(req.url === '/readyz' || req.url === '/healthz' ? 200 : 404).end());
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => {
  console.log('ready server: SIGTERM, closing');
  server.close(() => process.exit(0));
});
