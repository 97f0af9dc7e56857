/**
 * The app's config page: the datasources, validated, then saved in the app's
 * jsonData through Grafana's `POST /api/plugins/<id>/settings`. Objectives and
 * the AI budget are set in each service's SLO spec instead, which the page says.
 */
import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input } from '@grafana/ui';
import { APP_PLUGIN_ID, type AppSettings } from '@modelwatch/exporter/conventions';
import { grafanaTransport, type Transport } from '../data/transport';
import { resolveSettings, validateSettings, type ResolvedSettings } from '../settings';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>> & { transport?: Transport };

export default function AppConfig({ plugin, transport = grafanaTransport }: AppConfigProps) {
  const [settings, setSettings] = useState<ResolvedSettings>(() => resolveSettings(plugin.meta.jsonData));
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved' | string>('idle');
  const errors = validateSettings(settings);
  const valid = Object.keys(errors).length === 0;

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
        <Field label="Prometheus datasource uid" description="The Prometheus that scrapes your services" invalid={!!errors.prometheusUid} error={errors.prometheusUid}>
          <Input id="prometheusUid" width={40} value={settings.prometheusUid} onChange={(e) => setSettings({ ...settings, prometheusUid: e.currentTarget.value })} />
        </Field>
        <Field label="Alertmanager datasource uid" description="Its alerts show on the Alerts page next to Grafana-managed alerts">
          <Input id="alertmanagerUid" width={40} value={settings.alertmanagerUid} onChange={(e) => setSettings({ ...settings, alertmanagerUid: e.currentTarget.value })} />
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
