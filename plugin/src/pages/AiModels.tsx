/**
 * AI models: a sortable table per provider and model over the selected range
 * (with the lowest score of the model's objectives), the month's projected
 * spend against the service's budget from its SLO spec, and per tenant and
 * feature against theirs; latency (with its exemplars, linked to their
 * traces), time to first token against its objectives and spend over time;
 * the models that answered for others, the providers' rate-limit headroom,
 * and models without a known price.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import { APP_PAGES, DASHBOARD_UID, LABEL, SLO_LABEL, jobScope, rangeWindow } from '@modelwatch/conventions';
import { lastValue } from '../data/dsQuery';
import { formatPercent, formatUsd } from '../data/format';
import { joinOn } from '../data/join';
import { useAppEnvironment } from '../components/AppContext';
import { PageShell, type PageContext } from '../components/PageShell';
import { Panel } from '../components/Panel';
import { useLoaded } from '../components/useLoaded';
import { usePromClient } from '../components/usePromClient';
import { withTraceLinks } from '../panels/exemplars';
import { tableHeight } from '../panels/sizes';
import { VizPanel } from '../panels/VizPanel';
import { aiModelTargets } from '../queries/aiModels';
import { budgetPanel, latencyPanel, modelName, modelsPanel, spendPanel, ttftPanel, type ModelRow } from './aiModelsPanels';
import { rateLimitRows, rateLimitsPanel, substitutionRows, substitutionsPanel } from './providerPanels';
import { attributedSpendPanel, spendRows, type SpendRow } from './spendPanels';
import type { LinkContext } from './overviewPanels';

const MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];

export function AiModels() {
  return (
    <PageShell page={APP_PAGES.aiModels} dashboard={DASHBOARD_UID.aiModels}>
      {(context) => <AiModelsBody {...context} />}
    </PageShell>
  );
}

function AiModelsBody({ range, rangeMs, job, zoomTo }: PageContext) {
  const styles = useStyles2(getStyles);
  const { settings } = useAppEnvironment();
  const client = usePromClient();
  const data = useLoaded(async () => {
    const targets = aiModelTargets(jobScope(job, rangeWindow(rangeMs)), jobScope(job, '5m'), settings.semconv);
    const [r, exemplars] = await Promise.all([
      client.query(targets, rangeMs),
      // Exemplars are a bonus on the chart: without them (an old Prometheus, no exemplar storage) the page still shows.
      client.exemplars({ latencyChart: targets.latencyChart }, rangeMs).catch(() => []),
    ]);
    const unpriced = new Set(r.unpriced.map((s) => modelName(s.labels)));
    const rows: ModelRow[] = joinOn(MODEL, {
      rate: r.rate,
      p50: r.p50,
      p95: r.p95,
      p99: r.p99,
      ttft: r.ttft,
      timePerToken: r.timePerToken,
      errorRatio: r.errorRatio,
      tokensPerSecond: r.tokensPerSecond,
      costPerHour: r.costPerHour,
      costPerRequest: r.costPerRequest,
      cachedShare: r.cachedShare,
      objectiveScore: r.objectiveScore,
    }).map((row) => ({
      id: row.key,
      provider: row.labels[LABEL.genAiProviderName] ?? '',
      model: row.labels[LABEL.genAiRequestModel] ?? '',
      ...row.values,
      unpriced: unpriced.has(modelName(row.labels)),
    }));
    const ttftThresholds = r.ttftObjectives.map((s) => Number(s.labels[SLO_LABEL.threshold])).filter(Number.isFinite);
    return {
      r,
      rows,
      exemplars: withTraceLinks(exemplars, settings.tempoUid),
      ttftThresholds,
      projected: lastValue(r.projectedMonth[0]),
      budget: lastValue(r.budget[0]),
      tenants: spendRows(LABEL.tenant, r.tenantSpend, r.tenantBudget),
      features: spendRows(LABEL.feature, r.featureSpend, r.featureBudget),
      substitutions: substitutionRows(r.substitutions, r.substitutionShare),
      rateLimits: rateLimitRows(r.rateLimitRemaining, r.rateLimitReset),
    };
  }, [client, job, rangeMs.from, rangeMs.to, settings.tempoUid, settings.semconv]);
  const links: LinkContext = { datasourceUid: settings.prometheusUid, range: range.raw, job };
  const unpriced = data.state === 'ready' ? data.data.rows.filter((row) => row.unpriced) : [];

  return (
    <div className={styles.grid}>
      {unpriced.length > 0 && (
        <Alert className={styles.wide} title="Models without a known price" severity="warning" data-testid="unpriced">
          Calls to {unpriced.map((row) => `${row.provider}/${row.model}`).join(', ')} are not in the spend figures: add their price to the exporter's price overrides.
        </Alert>
      )}
      <Panel
        name="models-table"
        title="Models"
        data={data}
        height={(d) => tableHeight(d.rows.length)}
        isEmpty={(d) => d.rows.length === 0}
        attributes={(d) => ({ rows: d.rows.length, models: d.rows.map((row) => `${row.provider}/${row.model}`).join(' ') })}
        wide
      >
        {({ rows }, size) => <VizPanel {...modelsPanel(rows, links)} range={range} size={size} />}
      </Panel>
      <Panel
        name="budget"
        title="Projected month spend"
        data={data}
        height={170}
        isEmpty={(d) => d.projected === undefined}
        attributes={(d) => ({ projected: d.projected, budget: d.budget, over: d.budget === undefined ? 'unknown' : String((d.projected ?? 0) > d.budget) })}
      >
        {({ projected, budget }, size) => (
          <div>
            <div className={styles.note} data-testid="budget">
              {budget === undefined
                ? "At the current rate; no monthly budget is recorded for this service (its SLO spec's monthly_budget_usd, through the recording rules)."
                : `At the current rate, ${formatPercent((projected ?? 0) / budget)} of the ${formatUsd(budget)} monthly budget${(projected ?? 0) > budget ? ' — over budget' : ''}.`}
            </div>
            <VizPanel {...budgetPanel(projected ?? 0, budget)} range={range} size={{ width: size.width, height: size.height - NOTE_HEIGHT }} />
          </div>
        )}
      </Panel>
      <Panel name="latency-chart" title="p95 latency by model" data={data} height={280} isEmpty={(d) => d.r.latencyChart.length === 0} attributes={(d) => ({ exemplars: d.exemplars.reduce((n, f) => n + f.length, 0) })}>
        {({ r, exemplars }, size) => <VizPanel {...latencyPanel(r.latencyChart)} exemplars={exemplars} range={range} size={size} onZoom={zoomTo} />}
      </Panel>
      <Panel name="ttft-chart" title="Time to first token p95 by model" data={data} height={280} isEmpty={(d) => d.r.ttftChart.length === 0}>
        {({ r, ttftThresholds }, size) => <VizPanel {...ttftPanel(r.ttftChart, ttftThresholds)} range={range} size={size} onZoom={zoomTo} />}
      </Panel>
      <Panel name="spend-chart" title="Spend per hour by model" data={data} height={280} isEmpty={(d) => d.r.spendChart.length === 0}>
        {({ r }, size) => <VizPanel {...spendPanel(r.spendChart)} range={range} size={size} onZoom={zoomTo} />}
      </Panel>
      <Panel name="tenant-spend" title="Projected month spend by tenant" data={data} height={(d) => tableHeight(d.tenants.length)} isEmpty={(d) => d.tenants.length === 0} emptyKind={() => 'no-attributed-spend'} attributes={(d) => spendAttributes(d.tenants)}>
        {({ tenants }, size) => <VizPanel {...attributedSpendPanel(LABEL.tenant, tenants)} range={range} size={size} />}
      </Panel>
      <Panel name="feature-spend" title="Projected month spend by feature" data={data} height={(d) => tableHeight(d.features.length)} isEmpty={(d) => d.features.length === 0} emptyKind={() => 'no-attributed-spend'} attributes={(d) => spendAttributes(d.features)}>
        {({ features }, size) => <VizPanel {...attributedSpendPanel(LABEL.feature, features)} range={range} size={size} />}
      </Panel>
      <Panel
        name="substitutions"
        title="Model substitutions"
        data={data}
        height={(d) => tableHeight(d.substitutions.length)}
        isEmpty={(d) => d.substitutions.length === 0}
        emptyKind={() => 'no-substitutions'}
        attributes={(d) => ({ rows: d.substitutions.length, pairs: d.substitutions.map((row) => `${row.requested}>${row.served}`).join(' ') })}
      >
        {({ substitutions }, size) => <VizPanel {...substitutionsPanel(substitutions, links)} range={range} size={size} />}
      </Panel>
      <Panel
        name="rate-limits"
        title="Rate-limit headroom"
        data={data}
        height={(d) => tableHeight(d.rateLimits.length)}
        isEmpty={(d) => d.rateLimits.length === 0}
        emptyKind={() => 'no-rate-limits'}
        attributes={(d) => ({ rows: d.rateLimits.length })}
      >
        {({ rateLimits }, size) => <VizPanel {...rateLimitsPanel(rateLimits, links)} range={range} size={size} />}
      </Panel>
    </div>
  );
}

const NOTE_HEIGHT = 40;

/** For tests: how many rows, who they are, and which have a budget. */
function spendAttributes(rows: readonly SpendRow[]) {
  return { rows: rows.length, names: rows.map((row) => row.name).join('|'), budgets: rows.filter((row) => row.budget !== undefined).length };
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(480px, 1fr))', gap: theme.spacing(2) }),
  wide: css({ gridColumn: '1 / -1' }),
  note: css({ height: NOTE_HEIGHT, color: theme.colors.text.secondary }),
});
