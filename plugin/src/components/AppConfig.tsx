/**
 * The app's config page: datasources, SLO targets, health weights and the
 * monthly budget, validated, then saved in the app's jsonData through
 * Grafana's `POST /api/plugins/<id>/settings`.
 */
import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input } from '@grafana/ui';
import { APP_PLUGIN_ID, HEALTH_COMPONENTS, type AppSettings } from '@modelwatch/exporter/conventions';
import { grafanaTransport, type Transport } from '../data/transport';
import { resolveSettings, validateSettings, type ResolvedSettings } from '../settings';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>> & { transport?: Transport };

export default function AppConfig({ plugin, transport = grafanaTransport }: AppConfigProps) {
  const [settings, setSettings] = useState<ResolvedSettings>(() => resolveSettings(plugin.meta.jsonData));
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved' | string>('idle');
  const errors = validateSettings(settings);
  const valid = Object.keys(errors).length === 0;
  const number = (text: string) => (text.trim() === '' ? NaN : Number(text));

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
      <FieldSet label="Targets and budget">
        {(['availability', 'latency'] as const).map((key) => (
          <Field key={key} label={`${key} SLO target`} description="A ratio: 0.999 = 99.9 %" invalid={!!errors[`slo.${key}`]} error={errors[`slo.${key}`]}>
            <Input
              id={`slo-${key}`}
              width={20}
              type="number"
              step="any"
              value={Number.isNaN(settings.slo[key]) ? '' : settings.slo[key]}
              onChange={(e) => setSettings({ ...settings, slo: { ...settings.slo, [key]: number(e.currentTarget.value) } })}
            />
          </Field>
        ))}
        <Field label="Monthly AI budget (USD)" invalid={!!errors.monthlyBudgetUsd} error={errors.monthlyBudgetUsd}>
          <Input
            id="monthlyBudgetUsd"
            width={20}
            type="number"
            step="any"
            value={Number.isNaN(settings.monthlyBudgetUsd) ? '' : settings.monthlyBudgetUsd}
            onChange={(e) => setSettings({ ...settings, monthlyBudgetUsd: number(e.currentTarget.value) })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Health score weights (renormalised over the components that have traffic)">
        {HEALTH_COMPONENTS.map((c) => (
          <Field key={c.id} label={c.title} description={c.sli} invalid={!!errors[`healthWeights.${c.id}`]} error={errors[`healthWeights.${c.id}`]}>
            <Input
              id={`weight-${c.id}`}
              width={20}
              type="number"
              step="any"
              value={Number.isNaN(settings.healthWeights[c.id]) ? '' : settings.healthWeights[c.id]}
              onChange={(e) => setSettings({ ...settings, healthWeights: { ...settings.healthWeights, [c.id]: number(e.currentTarget.value) } })}
            />
          </Field>
        ))}
        {errors.healthWeights && <Alert title={errors.healthWeights} severity="error" />}
      </FieldSet>
      <Button type="submit" disabled={!valid || saved === 'saving'}>
        Save settings
      </Button>
      {saved === 'saved' && <Alert title="Settings saved. Reload the app pages to use them." severity="success" />}
      {saved.startsWith('Saving failed') && <Alert title={saved} severity="error" />}
    </form>
  );
}
