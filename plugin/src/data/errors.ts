/**
 * Why a page has no numbers, each with what to do about it. Pages render one
 * message per kind instead of an empty panel.
 */
export type DataProblemKind = 'no-datasource' | 'unreachable' | 'query-failed' | 'no-data' | 'not-recorded' | 'no-failures' | 'no-attributed-spend' | 'no-substitutions' | 'no-rate-limits';

/** Kinds that are news rather than problems. */
export const INFO_KINDS: ReadonlySet<DataProblemKind> = new Set(['no-data', 'no-failures', 'no-attributed-spend', 'no-substitutions', 'no-rate-limits']);

export class DataProblem extends Error {
  constructor(
    readonly kind: DataProblemKind,
    message: string,
  ) {
    super(message);
    this.name = 'DataProblem';
  }
}

/** Heading and advice shown for each kind. */
export const PROBLEM_TEXT: Record<DataProblemKind, { title: string; advice: string }> = {
  'no-datasource': {
    title: 'No Prometheus datasource configured',
    advice: 'Open the app configuration and pick the Prometheus datasource that scrapes your services.',
  },
  unreachable: {
    title: 'Prometheus is unreachable',
    advice: 'Grafana could not connect to Prometheus. Check that Prometheus is running and that the datasource URL is right.',
  },
  'query-failed': {
    title: 'A query failed',
    advice: 'Prometheus rejected a query. Check the datasource type and the Prometheus version (2.42 or later).',
  },
  'no-data': {
    title: 'No data yet',
    advice: 'Prometheus has no Modelwatch metrics for this service and time range. Add the Modelwatch middleware, check that Prometheus scrapes /metrics, and send some traffic.',
  },
  'no-failures': {
    title: 'No failing AI calls',
    advice: 'Every AI call of this service succeeded in the last 5 minutes.',
  },
  'no-attributed-spend': {
    title: 'No spend by tenant or feature',
    advice:
      "This service's exporter records no AI spend by tenant and feature in the last 5 minutes. Attribute calls with mw.attribute({ tenant, feature }, fn) or the middleware's attribution function (exporter README); calls nobody attributed are listed as unattributed.",
  },
  'no-substitutions': {
    title: 'No model substitutions',
    advice: 'Every AI call in this range was answered by the model it asked for: no provider fallback, alias or router served another model.',
  },
  'no-rate-limits': {
    title: 'No rate-limit headroom reported',
    advice:
      "The headroom comes from the rate-limit headers of OpenAI's and Anthropic's responses (x-ratelimit-*, anthropic-ratelimit-*), read by the exporter's OpenAI and Anthropic SDK integrations. None arrived from this service: its calls go through another client, or its provider sends no such headers.",
  },
  'not-recorded': {
    title: 'No health score recorded',
    advice:
      "Prometheus has this service's metrics but not the recording rules of its objectives. Generate them from the service's SLO spec (npm run alerts -- --spec my-slos.yaml --out dir, see alerting/README.md) and load the recording rules it writes into Prometheus.",
  },
};
