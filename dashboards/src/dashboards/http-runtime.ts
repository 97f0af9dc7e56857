/**
 * HTTP and runtime: RED per route, status classes, and the Node.js process
 * underneath (event loop, CPU, memory against its limit, GC, database).
 */
import { DASHBOARD_UID, LABEL, METRICS, RUNTIME_METRIC, SLO_KIND, SLO_LABEL, quantile, rate, selector, sumBy } from '@modelwatch/conventions';
import type { DashboardDefinition } from '../define-dashboard';
import { objectiveSliPanel } from '../objectives';
import { timeSeriesPanel } from '../panels';
import { promQuery } from '../query';
import { SCOPE } from '../variables';

const http = METRICS.httpServerRequestDuration.name;
const byRoute = [LABEL.httpRoute];
const routeLegend = `{{${LABEL.httpRoute}}}`;

/** Status code → class (`2xx`, `4xx`, `5xx`…); label_replace keeps the rest of the labels. */
const statusClassRate = `label_replace(${rate(`${http}_count`, SCOPE)}, "status_class", "\${1}xx", "${LABEL.httpResponseStatusCode}", "([0-9]).*")`;

export const httpRuntime: DashboardDefinition = {
  uid: DASHBOARD_UID.httpRuntime,
  title: 'Modelwatch / HTTP & runtime',
  description: 'Rate, errors and duration per route; status classes; the HTTP objectives; event-loop lag, CPU, memory against its limit, GC and database latency.',
  sections: [
    {
      title: 'HTTP',
      panels: [
        timeSeriesPanel({
          title: 'Requests per route',
          description: 'Requests per second by route template.',
          queries: [promQuery(sumBy(byRoute, rate(`${http}_count`, SCOPE)), { legend: routeLegend })],
          unit: 'reqps',
          stacked: true,
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Error ratio per route',
          description: 'Share of each route’s requests answered 5xx.',
          queries: [
            promQuery(`(${sumBy(byRoute, rate(`${http}_count`, SCOPE, [`${LABEL.httpResponseStatusCode}=~"5.."`]))} or ${sumBy(byRoute, rate(`${http}_count`, SCOPE))} * 0) / ${sumBy(byRoute, rate(`${http}_count`, SCOPE))}`, {
              legend: routeLegend,
            }),
          ],
          unit: 'percentunit',
          min: 0,
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Duration p95 per route',
          description: '95th percentile request duration by route template.',
          queries: [promQuery(quantile(0.95, http, byRoute, SCOPE), { legend: routeLegend })],
          unit: 's',
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Status classes',
          description: 'Requests per second by status class.',
          queries: [promQuery(sumBy(['status_class'], statusClassRate), { legend: '{{status_class}}' })],
          unit: 'reqps',
          stacked: true,
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Requests in flight',
          description: 'HTTP requests being served, per instance.',
          queries: [promQuery(sumBy(['instance'], selector(METRICS.httpServerActiveRequests.name, SCOPE)), { legend: '{{instance}}' })],
          unit: 'short',
          w: 8,
        }),
        objectiveSliPanel({
          title: 'HTTP objectives',
          description: 'The objectives users feel: availability, and latency per route (a route’s objective has its own threshold).',
          kinds: [SLO_KIND.availability, SLO_KIND.httpLatency],
          legend: `{{${SLO_LABEL.name}}}: {{${SLO_LABEL.scope}}}`,
          w: 8,
        }),
      ],
    },
    {
      title: 'Runtime',
      panels: [
        timeSeriesPanel({
          title: 'Event-loop lag p99',
          description: 'How late timers run: high values mean the process is busy or blocked.',
          queries: [promQuery(selector(RUNTIME_METRIC.eventLoopLagP99Seconds, SCOPE), { legend: '{{instance}}' })],
          unit: 's',
          w: 8,
        }),
        timeSeriesPanel({
          title: 'CPU',
          description: 'CPU seconds per second (1 = one core busy).',
          queries: [promQuery(sumBy(['instance'], rate(RUNTIME_METRIC.cpuSecondsTotal, SCOPE)), { legend: '{{instance}}' })],
          unit: 'short',
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Memory vs limit',
          description: 'Resident memory and JavaScript heap against the memory limit the process can use.',
          queries: [
            promQuery(selector(RUNTIME_METRIC.residentMemoryBytes, SCOPE), { legend: 'resident {{instance}}' }),
            promQuery(selector(RUNTIME_METRIC.heapUsedBytes, SCOPE), { legend: 'heap used {{instance}}' }),
            promQuery(selector(METRICS.processMemoryLimit.name, SCOPE), { legend: 'limit {{instance}}' }),
          ],
          unit: 'bytes',
          w: 8,
        }),
        timeSeriesPanel({
          title: 'GC time',
          description: 'Seconds spent in garbage collection per second, by GC kind.',
          queries: [promQuery(sumBy(['kind'], rate(`${RUNTIME_METRIC.gcDurationSeconds}_sum`, SCOPE)), { legend: '{{kind}}' })],
          unit: 'percentunit',
        }),
        timeSeriesPanel({
          title: 'Database p95',
          description: '95th percentile duration of database operations by system and operation.',
          queries: [promQuery(quantile(0.95, METRICS.dbOperationDuration.name, [LABEL.dbSystemName, LABEL.dbOperationName], SCOPE), { legend: `{{${LABEL.dbSystemName}}} {{${LABEL.dbOperationName}}}` })],
          unit: 's',
        }),
      ],
    },
  ],
};
