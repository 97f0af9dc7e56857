/**
 * AI models: a sortable table per provider and model over the selected range
 * (with the lowest score of the model's objectives), latency and spend over
 * time, the month's projected spend against the service's budget from its SLO
 * spec, and models without a known price.
 */
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, InteractiveTable, useStyles2, type Column } from '@grafana/ui';
import { APP_PAGES, DASHBOARD_UID, LABEL } from '@modelwatch/exporter/conventions';
import { lastValue } from '../data/dsQuery';
import { NO_VALUE, formatPercent, formatRate, formatSeconds, formatUsd } from '../data/format';
import { joinOn } from '../data/join';
import { LineChart } from '../components/LineChart';
import { PageShell, type PageContext } from '../components/PageShell';
import { ScoreBadge } from '../components/ScoreBadge';
import { Panel } from '../components/Panel';
import { usePanelData } from '../components/usePanelData';
import { usePromClient } from '../components/usePromClient';
import { aiModelTargets } from '../queries/aiModels';
import { jobScope, rangeWindow } from '../queries/promql';

const MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];
const modelName = (labels: Record<string, string>) => `${labels[LABEL.genAiProviderName]}/${labels[LABEL.genAiRequestModel]}`;

export interface ModelRow {
  id: string;
  provider: string;
  model: string;
  rate?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  ttft?: number;
  timePerToken?: number;
  errorRatio?: number;
  tokensPerSecond?: number;
  costPerHour?: number;
  costPerRequest?: number;
  cachedShare?: number;
  objectiveScore?: number;
  unpriced: boolean;
}

const cell = (format: (v: number | undefined) => string) =>
  function Cell({ cell: c }: { cell: { value: number | undefined } }) {
    return <span>{format(c.value)}</span>;
  };

const COLUMNS: Array<Column<ModelRow>> = [
  { id: 'provider', header: 'Provider', sortType: 'string' },
  { id: 'model', header: 'Model', sortType: 'string' },
  { id: 'rate', header: 'Calls (5m)', sortType: 'number', cell: cell((v) => formatRate(v, '/s')) },
  { id: 'p50', header: 'p50', sortType: 'number', cell: cell(formatSeconds) },
  { id: 'p95', header: 'p95', sortType: 'number', cell: cell(formatSeconds) },
  { id: 'p99', header: 'p99', sortType: 'number', cell: cell(formatSeconds) },
  { id: 'ttft', header: 'TTFT p95', sortType: 'number', cell: cell(formatSeconds) },
  { id: 'timePerToken', header: 'Per token p95', sortType: 'number', cell: cell(formatSeconds) },
  { id: 'errorRatio', header: 'Errors', sortType: 'number', cell: cell(formatPercent) },
  { id: 'tokensPerSecond', header: 'Tokens (5m)', sortType: 'number', cell: cell((v) => formatRate(v, 'tok/s')) },
  { id: 'costPerHour', header: 'Cost/hour (5m)', sortType: 'number', cell: cell(formatUsd) },
  { id: 'costPerRequest', header: 'Cost/call', sortType: 'number', cell: cell(formatUsd) },
  { id: 'cachedShare', header: 'Cached', sortType: 'number', cell: cell(formatPercent) },
  { id: 'objectiveScore', header: 'SLOs', sortType: 'number', cell: ObjectiveCell },
];

/** The lowest score of the model's objectives, in its band's colour; details on the Overview. */
function ObjectiveCell({ cell: c }: { cell: { value: number | undefined } }) {
  return c.value === undefined ? <span>{NO_VALUE}</span> : <ScoreBadge score={c.value} />;
}

export function AiModels() {
  return (
    <PageShell page={APP_PAGES.aiModels} dashboard={DASHBOARD_UID.aiModels}>
      {(context) => <AiModelsBody {...context} />}
    </PageShell>
  );
}

function AiModelsBody({ rangeMs, job }: PageContext) {
  const styles = useStyles2(getStyles);
  const client = usePromClient();
  const data = usePanelData(async () => {
    const r = await client.query(aiModelTargets(jobScope(job, rangeWindow(rangeMs)), jobScope(job, '5m')), rangeMs);
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
    return { r, rows, projected: lastValue(r.projectedMonth[0]), budget: lastValue(r.budget[0]) };
  }, [client, job, rangeMs.from, rangeMs.to]);
  const columns = useMemo(() => COLUMNS, []);

  return (
    <div className={styles.grid}>
      <Panel name="models-table" title="Models" data={data} isEmpty={(d) => d.rows.length === 0} wide>
        {({ rows }) => (
          <div data-testid="models-table">
            {rows.some((row) => row.unpriced) && (
              <Alert title="Models without a known price" severity="warning" data-testid="unpriced">
                Calls to {rows.filter((row) => row.unpriced).map((row) => `${row.provider}/${row.model}`).join(', ')} are not in the spend figures: add their
                price to the exporter's price overrides.
              </Alert>
            )}
            <InteractiveTable columns={columns} data={rows} getRowId={(row: ModelRow) => row.id} initialSortBy={[{ id: 'costPerHour', desc: true }]} />
          </div>
        )}
      </Panel>
      <Panel name="budget" title="Projected month spend" data={data} isEmpty={(d) => d.projected === undefined}>
        {({ projected, budget }) => <Budget projected={projected ?? 0} budget={budget} />}
      </Panel>
      <Panel name="latency-chart" title="p95 latency by model" data={data} isEmpty={(d) => d.r.latencyChart.length === 0}>
        {({ r }) => <LineChart series={r.latencyChart} legend={modelName} format={formatSeconds} range={rangeMs} />}
      </Panel>
      <Panel name="spend-chart" title="Spend per hour by model" data={data} isEmpty={(d) => d.r.spendChart.length === 0}>
        {({ r }) => <LineChart series={r.spendChart} legend={modelName} format={formatUsd} range={rangeMs} />}
      </Panel>
    </div>
  );
}

function Budget({ projected, budget }: { projected: number; budget: number | undefined }) {
  const styles = useStyles2(getStyles);
  if (budget === undefined) {
    return (
      <div data-testid="budget" data-over="unknown">
        <div className={styles.big}>{formatUsd(projected)}</div>
        <div>at the current rate; no monthly budget is recorded for this service (its SLO spec's monthly_budget_usd, through the recording rules)</div>
      </div>
    );
  }
  const share = projected / budget;
  const over = share > 1;
  return (
    <div data-testid="budget" data-over={over}>
      <div className={styles.big}>{formatUsd(projected)}</div>
      <div>
        at the current rate, {formatPercent(share)} of the {formatUsd(budget)} monthly budget{over ? ' — over budget' : ''}
      </div>
      <div className={styles.bar}>
        <div className={over ? styles.fillOver : styles.fill} style={{ width: `${Math.min(100, share * 100)}%` }} />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: theme.spacing(2) }),
  big: css({ fontSize: theme.typography.h1.fontSize, fontWeight: theme.typography.fontWeightBold }),
  bar: css({ height: 8, background: theme.colors.background.secondary, borderRadius: 4, marginTop: theme.spacing(1), overflow: 'hidden' }),
  fill: css({ height: '100%', background: theme.colors.success.main }),
  fillOver: css({ height: '100%', background: theme.colors.error.main }),
});
