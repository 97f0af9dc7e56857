/**
 * `node stack/dist/sink-cli.js`: the notification sink on its own, for
 * docker-compose (it shares Alertmanager's network namespace there, so the
 * loopback URLs of config/alertmanager.yml reach it). Listens on `SINK_HOST`
 * (default 127.0.0.1) at `SINK_PORT` (default 9099), answers requests addressed
 * to loopback or to the names in `SINK_ALLOWED_HOSTS` (comma-separated), clears
 * its deliveries on `DELETE /deliveries` with `SINK_TOKEN` (default: a random
 * one, so nobody can), prints one line per delivery, stops on SIGTERM or Ctrl-C.
 */
import { formatDelivery, portFromEnv, startNotificationSink } from '@modelwatch/testkit';
import { DEFAULT_PORTS, PORT_ENV_VARS } from './stack-config';

async function main(): Promise<void> {
  const sink = await startNotificationSink({
    port: portFromEnv(PORT_ENV_VARS.sink, DEFAULT_PORTS.sink),
    portEnvVar: PORT_ENV_VARS.sink,
    host: process.env.SINK_HOST || undefined,
    allowedHosts: (process.env.SINK_ALLOWED_HOSTS ?? '').split(',').flatMap((name) => (name.trim() ? [name.trim()] : [])),
    token: process.env.SINK_TOKEN || undefined,
    onDelivery: (delivery) => console.log(formatDelivery(delivery)),
  });
  console.log(`notification sink listening on ${sink.url} (deliveries: ${sink.url}/deliveries)`);
  const stop = () => void sink.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
