/**
 * Config reloads by SIGHUP, which Prometheus and Alertmanager both honour. The
 * HTTP way (`POST /-/reload`) needs Prometheus' lifecycle API, which also
 * answers `POST /-/quit` to any web page the user has open: a form post is a
 * cross-site request without CORS preflight. A signal needs the process' owner.
 */
import type { ManagedProcess } from './process';
import { waitFor } from './wait';

interface ReloadState {
  successful: boolean;
  successAt: number;
}

/**
 * Sends SIGHUP and resolves once the process published a newer reload-success
 * time (`<prefix>_config_last_reload_success_timestamp_seconds` on its own
 * `/metrics`); throws with its log when the reload failed.
 */
export async function reloadBySignal(child: ManagedProcess, url: string, metricPrefix: 'prometheus' | 'alertmanager', timeoutMs = 15_000): Promise<void> {
  const read = async (): Promise<ReloadState> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = (name: string) => {
      const match = new RegExp(`^${metricPrefix}_config_last_reload_${name} (\\S+)$`, 'm').exec(text);
      if (!match) throw new Error(`${child.name} publishes no ${metricPrefix}_config_last_reload_${name}`);
      return Number(match[1]);
    };
    return { successful: value('successful') === 1, successAt: value('success_timestamp_seconds') };
  };
  const before = await read();
  process.kill(child.pid, 'SIGHUP');
  const after = await waitFor(
    async () => {
      const now = await read();
      // A failure shows as "successful" dropping to 0; after an earlier failure only the timeout tells.
      return now.successAt > before.successAt || (before.successful && !now.successful) ? now : undefined;
    },
    timeoutMs,
    { description: `${child.name} reloaded its config after SIGHUP` },
  );
  if (!after.successful) throw new Error(`${child.name} rejected the new config; its last output:\n${child.logs().split('\n').slice(-15).join('\n')}`);
}
