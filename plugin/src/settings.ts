/**
 * The app's settings (plugin `jsonData`, shape `AppSettings` from the
 * conventions, shared with provisioning): defaults for missing fields, and the
 * validation the config page shows before saving. Objectives, the health
 * score and the AI budget are not settings: they come from each service's SLO
 * spec, through the recording rules.
 */
import { DATASOURCE_UID, SEMCONV_MODES, type AppSettings, type SemconvMode } from '@modelwatch/conventions';

export interface ResolvedSettings {
  prometheusUid: string;
  alertmanagerUid: string;
  /** Empty: exemplars show without a trace link. */
  tempoUid: string;
  /** The GenAI metric names the exporters write, which the pages query. */
  semconv: SemconvMode;
}

export function resolveSettings(jsonData: AppSettings | undefined): ResolvedSettings {
  const settings = jsonData ?? {};
  return {
    prometheusUid: settings.prometheusUid || DATASOURCE_UID.prometheus,
    alertmanagerUid: settings.alertmanagerUid || DATASOURCE_UID.alertmanager,
    tempoUid: settings.tempoUid ?? '',
    // A mode this version does not know (saved by a newer one, or by hand) reads the names every exporter writes by default.
    semconv: SEMCONV_MODES.includes(settings.semconv as SemconvMode) ? (settings.semconv as SemconvMode) : 'legacy',
  };
}

/** Problems with `settings`, keyed by field; empty when they can be saved. `exists` says whether Grafana has a data source uid. */
export function validateSettings(settings: ResolvedSettings, exists: (uid: string) => boolean = () => true): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!settings.prometheusUid.trim()) errors.prometheusUid = 'Pick the Prometheus datasource the pages query.';
  for (const key of ['prometheusUid', 'alertmanagerUid', 'tempoUid'] as const) {
    const uid = settings[key].trim();
    if (uid && !errors[key] && !exists(uid)) errors[key] = `This Grafana has no data source with uid "${uid}" (deleted or renamed?): pick one in the list.`;
  }
  return errors;
}
