/**
 * `npm run preview`: the app's pages outside Grafana against a running
 * Prometheus (and Alertmanager). Options, as flags or environment:
 *   --port N          | PREVIEW_PORT (default 3001)
 *   --prometheus URL  | PREVIEW_PROMETHEUS_URL (default http://127.0.0.1:9090)
 *   --alertmanager URL| PREVIEW_ALERTMANAGER_URL (default http://127.0.0.1:9093)
 *   --tempo URL       | PREVIEW_TEMPO_URL (none by default: no Tempo data source is listed)
 */
import { parseArgs } from 'node:util';
import { startPreviewServer } from './server';

const { values } = parseArgs({ options: { port: { type: 'string' }, prometheus: { type: 'string' }, alertmanager: { type: 'string' }, tempo: { type: 'string' } } });
const env = process.env;

async function main() {
  const server = await startPreviewServer({
    port: Number(values.port ?? env.PREVIEW_PORT ?? 3001),
    prometheusUrl: values.prometheus ?? env.PREVIEW_PROMETHEUS_URL ?? 'http://127.0.0.1:9090',
    alertmanagerUrl: values.alertmanager ?? env.PREVIEW_ALERTMANAGER_URL ?? 'http://127.0.0.1:9093',
    tempoUrl: values.tempo ?? env.PREVIEW_TEMPO_URL,
  });
  console.log(`App preview: ${server.url}/a/modelwatch-health-app/overview`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
