import cluster from 'node:cluster';
import express from 'express';
import { clusterMetrics, createModelwatch } from '@modelwatch/exporter';

const port = Number(process.env.PORT ?? 3000);

if (cluster.isPrimary) {
  // One /metrics for the whole cluster, merged from every worker at scrape time.
  const metrics = clusterMetrics.primary({ timeoutMs: 5000 });
  await metrics.startMetricsServer({ port: Number(process.env.METRICS_PORT ?? 9464), host: '127.0.0.1' });
  for (let i = 0; i < 2; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (code !== 0) cluster.fork(); // replace crashed workers
  });
} else {
  const mw = createModelwatch();
  clusterMetrics.worker(mw); // answers the primary's scrape requests
  const app = express();
  app.use(mw.express());
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id, worker: process.pid });
  });
  app.listen(port, '127.0.0.1');
}
