/**
 * The HTML report: one file, Chart.js inlined, the charts' data embedded as
 * JSON, so it opens offline, from a CI artifact or an e-mail. Tables carry
 * the exact figures; the charts are for the eye.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chartSpecs, topTenants } from './charts';
import type { PerformanceReport, Quantiles } from './model';

/** Chart.js' own browser bundle (UMD, minified), as published on npm. */
function chartJsBundle(): string {
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Script text safe inside a `<script>` element (a bundle could contain `</script>` in a string). */
function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (value: number | null, digits = 4) => (value === null ? '–' : String(Number(value.toPrecision(digits))));
const pct = (value: number | null) => (value === null ? '–' : `${Number((100 * value).toPrecision(4))} %`);
const ms = (value: number | null) => (value === null ? '–' : `${Number((1000 * value).toPrecision(4))}`);
const q = (v: Quantiles) => [ms(v.p50), ms(v.p95), ms(v.p99)];

function table(caption: string, header: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  const head = header.map((h) => `<th>${escape(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${escape(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * Draws every chart, then marks the page (`data-charts-rendered`) so a browser
 * test knows when to look. Animation is off: a chart is complete when drawn.
 */
const PAGE_SCRIPT = `
const specs = JSON.parse(document.getElementById('chart-specs').textContent);
const time = (value) => new Date(value * 1000).toISOString().slice(11, 19);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
for (const spec of specs) {
  const config = spec.config;
  config.options.plugins = { title: { display: false }, legend: { position: 'bottom' } };
  if (spec.timeAxis) config.options.scales.x.ticks = { callback: time, maxTicksLimit: 8 };
  if (spec.timeAxis) config.options.plugins.tooltip = { callbacks: { title: (items) => time(items[0].parsed.x) } };
  new Chart(document.getElementById(spec.id), config);
}
document.body.setAttribute('data-charts-rendered', String(specs.length));
`;

export function renderHtml(report: PerformanceReport): string {
  const specs = chartSpecs(report);
  const { source, totals } = report;
  const title = `Performance baseline report${source.job ? ` — ${source.job}` : ''}, ${source.from} to ${source.to}`;
  const traffic = source.traffic;
  const sections = [
    `<h1>${escape(title)}</h1>`,
    `<p class="meta">From ${escape(source.prometheus)}${traffic ? `, traffic run "${escape(traffic.scenario)}" (${traffic.users} users, seed ${traffic.seed}) against ${escape(traffic.target)}` : ''}. Generated ${escape(report.generatedAt)}.</p>`,
    report.recommendations.length > 0 ? `<section class="advice"><h2>Recommendations</h2><ul>${report.recommendations.map((r) => `<li>${escape(r)}</li>`).join('')}</ul></section>` : '',
    table('Totals', ['requests', 'requests/s', '5xx ratio', '429 ratio', 'AI calls', 'spend (USD)', 'USD per 1k requests', 'cache hit ratio', 'saved by cache (USD)'], [
      [num(totals.requests, 8), num(totals.requestsPerSecond), pct(totals.errorRatio), pct(totals.rateLimitedRatio), num(totals.aiCalls, 8), num(totals.costUsd), num(totals.costPer1kRequestsUsd), pct(report.cache.hitRatio), num(report.cache.savedUsd)],
    ]),
    traffic
      ? table('Seen by the traffic generator', ['requests', 'errors', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'statuses'], [
          [String(traffic.requests), String(traffic.errors), num(traffic.requestsPerSecond), ...q(traffic.latencySeconds), Object.entries(traffic.byStatus).map(([s, n]) => `${s} × ${n}`).join(', ')],
        ])
      : '',
    // The charts before the detail tables: the page opens on the picture.
    `<div class="charts">${specs.map((s) => `<figure><figcaption>${escape(s.title)}</figcaption><div class="chart"><canvas id="${s.id}" role="img" aria-label="${escape(s.title)}"></canvas></div></figure>`).join('\n')}</div>`,
    table('Routes', ['job', 'route', 'requests', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', '5xx ratio', '429 ratio'], report.routes.map((r) => [r.job, `${r.method} ${r.route}`, num(r.requests, 8), num(r.requestsPerSecond), ...q(r.latencySeconds), pct(r.errorRatio), pct(r.rateLimitedRatio)])),
    table('Models', ['job', 'model', 'calls', 'calls/s', 'p50 ms', 'p95 ms', 'p99 ms', 'TTFC p95 ms', 'TPOT p95 ms', 'error ratio', 'rate-limited', 'USD', 'USD per 1k calls'], report.models.map((m) => [
      m.job, `${m.provider}/${m.model}`, num(m.calls, 8), num(m.callsPerSecond), ...q(m.durationSeconds), ms(m.timeToFirstChunkSeconds.p95), ms(m.timePerOutputTokenSeconds.p95), pct(m.errorRatio), pct(m.rateLimitedRatio), num(m.costUsd), num(m.costPer1kCallsUsd),
    ])),
    table('Objectives', ['job', 'objective', 'scope', 'target', 'compliance', 'met', 'budget used', 'budget left at end'], report.slos.map((s) => [s.job, s.slo, s.scope, pct(s.target), pct(s.compliance), s.met === null ? '–' : s.met ? 'yes' : 'no', pct(s.budgetUsed), pct(s.budgetRemainingAtEnd)])),
    table('Resources (mean / max)', ['job', 'CPU cores', 'resident memory MiB', 'event-loop lag p99 ms'], report.resources.map((r) => [
      r.job, r.cpuCores ? `${num(r.cpuCores.mean)} / ${num(r.cpuCores.max)}` : '–', r.residentMemoryBytes ? `${num(r.residentMemoryBytes.mean / 2 ** 20)} / ${num(r.residentMemoryBytes.max / 2 ** 20)}` : '–', r.eventLoopLagP99Seconds ? `${ms(r.eventLoopLagP99Seconds.mean)} / ${ms(r.eventLoopLagP99Seconds.max)}` : '–',
    ])),
    table('AI spend this month at the range’s pace', ['job', 'USD per month', 'monthly budget', 'share of budget'], report.budgets.map((b) => [b.job, num(b.projectedMonthUsd), num(b.monthlyBudgetUsd), pct(b.budgetShare)])),
    table('Spend by tenant', ['tenant', 'USD', 'USD per month at this pace', 'monthly budget'], topTenants(report).map((t) => [t.tenant, num(t.costUsd), num(t.projectedMonthUsd), num(t.monthlyBudgetUsd)])),
    report.comparison
      ? table(`Against the baseline of ${report.comparison.baseline.from} to ${report.comparison.baseline.to}`, ['change', 'subject', 'figure', 'baseline', 'now', 'relative'], [...report.comparison.regressions, ...report.comparison.improvements].map((c) => [c.kind, c.subject, c.metric, num(c.baseline), num(c.current), c.relativeChange === null ? '–' : pct(c.relativeChange)]))
      : '',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1b1b; }
h1 { font-size: 20px; } .meta { color: #555; }
table { border-collapse: collapse; margin: 16px 0; } caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: right; } th:first-child, td:first-child, td:nth-child(2) { text-align: left; }
.advice { background: #fff4e5; border-left: 4px solid #E69F00; padding: 4px 16px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid #ddd; padding: 8px; } figcaption { font-weight: 600; } .chart { position: relative; height: 260px; }
</style>
</head>
<body>
${sections.filter(Boolean).join('\n')}
<script id="report-data" type="application/json">${scriptJson(report)}</script>
<script id="chart-specs" type="application/json">${scriptJson(specs)}</script>
<script>${inlineScript(chartJsBundle())}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
