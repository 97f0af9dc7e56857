/**
 * The app's config page: the datasources, picked from what this Grafana has
 * (Grafana's data source pickers; a list of its Alertmanagers) and validated,
 * then saved in the app's jsonData through Grafana's
 * `POST /api/plugins/<id>/settings`, with the GenAI metric names the
 * exporters write. Objectives and the AI budget are set in each service's SLO
 * spec instead, which the page says.
 */
import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, Combobox, Field, FieldSet, type ComboboxOption } from '@grafana/ui';
import { APP_PLUGIN_ID, type AppSettings, type SemconvMode } from '@modelwatch/conventions';
import { grafanaTransport, type Transport } from '../data/transport';
import { resolveSettings, validateSettings, type ResolvedSettings } from '../settings';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>> & { transport?: Transport };

/**
 * Grafana's Alertmanager data sources. `DataSourcePicker` cannot list them:
 * the data source service's `getList` leaves out plugins that declare no
 * metrics, logs, tracing, annotations or alerting unless asked for `all`
 * (grafana/grafana public/app/features/plugins/datasource_srv.ts), and the
 * Alertmanager plugin declares none of them.
 */
function alertmanagerOptions(): Array<ComboboxOption<string>> {
  return getDataSourceSrv()
    .getList({ type: 'alertmanager', all: true })
    .map((ds) => ({ label: ds.name, value: ds.uid }));
}

/** The exporters' `semconv` option (OTEL_SEMCONV_STABILITY_OPT_IN), as the pages must read it. */
const SEMCONV_OPTIONS: Array<ComboboxOption<SemconvMode>> = [
  { value: 'legacy', label: 'Legacy (default)', description: 'gen_ai_client_operation_duration_seconds, gen_ai_client_token_usage, modelwatch_gen_ai_tokens_total' },
  { value: 'latest', label: 'GenAI semconv v0.1', description: 'gen_ai_client_inference_* (gen_ai_latest_experimental)' },
  { value: 'both', label: 'Both', description: 'The exporters write both (gen_ai_latest_experimental/dup); the pages read the legacy names' },
];

/** Whether this Grafana has a data source with `uid` (a saved uid may name one deleted since). */
const dataSourceExists = (uid: string) => getDataSourceSrv().getInstanceSettings(uid) !== undefined;

export default function AppConfig({ plugin, transport = grafanaTransport }: AppConfigProps) {
  const [settings, setSettings] = useState<ResolvedSettings>(() => resolveSettings(plugin.meta.jsonData));
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved' | string>('idle');
  const errors = validateSettings(settings, dataSourceExists);
  const valid = Object.keys(errors).length === 0;
  const pick = (key: keyof ResolvedSettings) => (ds: { uid: string }) => setSettings({ ...settings, [key]: ds.uid });

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setSaved('saving');
    const jsonData: AppSettings = settings;
    const response = await transport({
      url: `/api/plugins/${APP_PLUGIN_ID}/settings`,
      method: 'POST',
      data: { enabled: plugin.meta.enabled, pinned: plugin.meta.pinned, jsonData },
    }).catch((error: Error) => ({ status: 0, data: { message: error.message } }));
    setSaved(response.status === 200 ? 'saved' : `Saving failed: ${(response.data as { message?: string }).message ?? `HTTP ${response.status}`}`);
  };

  return (
    <form onSubmit={save} data-testid="app-config">
      <FieldSet label="Datasources">
        <Field label="Prometheus" description="The Prometheus that scrapes your services and loads their recording rules" invalid={!!errors.prometheusUid} error={errors.prometheusUid}>
          <DataSourcePicker inputId="prometheusUid" type="prometheus" current={settings.prometheusUid || null} noDefault width={40} onChange={pick('prometheusUid')} />
        </Field>
        <Field label="Alertmanager" description="Its alerts show on the Alerts page next to Grafana-managed alerts" invalid={!!errors.alertmanagerUid} error={errors.alertmanagerUid}>
          <Combobox
            id="alertmanagerUid"
            width={40}
            isClearable
            placeholder="Select an Alertmanager data source"
            options={alertmanagerOptions()}
            value={settings.alertmanagerUid || null}
            onChange={(option) => setSettings({ ...settings, alertmanagerUid: option?.value ?? '' })}
          />
        </Field>
        <Field label="Tempo (optional)" description="Exemplars on latency charts link to their traces in it" invalid={!!errors.tempoUid} error={errors.tempoUid}>
          <DataSourcePicker
            inputId="tempoUid"
            type="tempo"
            current={settings.tempoUid || null}
            noDefault
            width={40}
            onChange={pick('tempoUid')}
            onClear={() => setSettings({ ...settings, tempoUid: '' })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Metrics">
        <Field label="GenAI metric names" description="The names your exporters write (their semconv option, default from OTEL_SEMCONV_STABILITY_OPT_IN); the pages query those">
          <Combobox id="semconv" width={40} options={SEMCONV_OPTIONS} value={settings.semconv} onChange={(option) => setSettings({ ...settings, semconv: option.value })} />
        </Field>
      </FieldSet>
      <Alert title="Objectives, the health score and the AI budget come from each service's SLO spec" severity="info" data-testid="slo-spec-note">
        The pages read what the recording rules generated from the spec publish: the score, every objective's SLI, burn rate and budget left, and the monthly AI
        budget. Edit the spec and regenerate the rules (npm run alerts -- --spec my-slos.yaml --out dir, see alerting/README.md) to change them.
      </Alert>
      <Button type="submit" disabled={!valid || saved === 'saving'}>
        Save settings
      </Button>
      {saved === 'saved' && <Alert title="Settings saved. Reload the app pages to use them." severity="success" />}
      {saved.startsWith('Saving failed') && <Alert title={saved} severity="error" />}
    </form>
  );
}
