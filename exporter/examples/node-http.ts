import { createServer } from 'node:http';
import { createModelwatch } from '@modelwatch/exporter';

const mw = createModelwatch();

const server = createServer(
  mw.http(
    (req, res) => {
      if (req.url === '/metrics') return mw.metricsHandler(req, res);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ url: req.url }));
    },
    // Plain node:http has no router: name your route templates so ids never become labels.
    { routes: ['/users/:id', '/static/*'], ignorePaths: ['/metrics'] },
  ),
);

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
