/**
 * The shape of an SLO spec file, written once: the validator walks it (with
 * messages that name the fix) and `jsonSchema()` turns it into the JSON Schema
 * editors use (alerting/slo-spec.schema.json, committed).
 */

export type FieldSchema =
  | { readonly type: 'ratio'; readonly description: string; readonly inclusiveMax?: boolean; readonly hint?: string }
  | { readonly type: 'duration'; readonly description: string }
  | { readonly type: 'boolean'; readonly description: string }
  | { readonly type: 'number'; readonly description: string }
  | { readonly type: 'integer'; readonly description: string; readonly const?: number }
  | { readonly type: 'string'; readonly description: string; readonly pattern?: RegExp; readonly example?: string }
  | { readonly type: 'object'; readonly description: string; readonly fields: Readonly<Record<string, FieldSchema>>; readonly required?: readonly string[] }
  | { readonly type: 'list'; readonly description: string; readonly items: FieldSchema }
  | { readonly type: 'map'; readonly description: string; readonly values: FieldSchema; readonly keyPattern?: RegExp };

/** `POST /chat`, `/admin/*`, `GET /v1/items/:id`. */
export const ROUTE_PATTERN = /^(?:[A-Z]+ )?\/\S*$/;
/** `openai/gpt-4o-mini`, `anthropic/*`, `*`. */
export const MODELS_PATTERN = /^(?:\*|[^/\s]+\/[^/\s]+)$/;

const ratio = (description: string): FieldSchema => ({ type: 'ratio', description });
const duration = (description: string): FieldSchema => ({ type: 'duration', description });
const page = (description: string): FieldSchema => ({ type: 'boolean', description });
const name: FieldSchema = { type: 'string', description: 'Name of the objective (the `slo` label); derived from what it covers when left out.' };
const latency = (description: string): FieldSchema => ({
  type: 'object',
  description,
  fields: { threshold: duration('Events at or under this duration are good; a bucket bound of the metric.'), target: ratio('Share of events that must be good over the SLO period.') },
  required: ['threshold', 'target'],
});
const routes: FieldSchema = { type: 'list', description: 'Route templates, with the method when it matters: `POST /chat`, `/admin/*`.', items: { type: 'string', description: 'A route', pattern: ROUTE_PATTERN, example: 'POST /chat' } };

/** Tenant and feature names as the exporter writes them: any label value without whitespace. */
export const ATTRIBUTION_NAME_PATTERN = /^\S+$/;
const TENANT_EXAMPLE = 'acme';
const FEATURE_EXAMPLE = 'support-bot';
const budgetMap = (owner: string, description: string, example: string): FieldSchema => ({
  type: 'map',
  description: `${description} A ${owner} without one is only part of the service's budget.`,
  values: { type: 'number', description: `USD a month (e.g. ${example}: 2000).` },
  keyPattern: ATTRIBUTION_NAME_PATTERN,
});

const service: FieldSchema = {
  type: 'object',
  description: "One service's objectives; a key left out keeps the default.",
  fields: {
    availability: {
      type: 'object',
      description: 'Share of HTTP requests not answered 5xx.',
      fields: {
        target: ratio('Share of requests that must not be 5xx.'),
        page: page('Page when the budget burns fast (default true).'),
        routes: {
          type: 'list',
          description: 'Objectives of some routes instead of the service-wide one; the first that lists a route claims it.',
          items: { type: 'object', description: 'Routes with their own availability objective.', fields: { name, routes, target: ratio('Share of requests that must not be 5xx.'), page: page('Page when the budget burns fast.') }, required: ['routes', 'target'] },
        },
      },
    },
    latency: {
      type: 'object',
      description: 'Share of HTTP requests answered within a threshold.',
      fields: {
        threshold: duration('Requests at or under this duration are good; a bucket bound of http_server_request_duration_seconds.'),
        target: ratio('Share of requests that must be good.'),
        page: page('Page when the budget burns fast (default true).'),
        routes: {
          type: 'list',
          description: 'Objectives of some routes instead of the service-wide one (a route that waits for a model needs seconds); the first that lists a route claims it.',
          items: {
            type: 'object',
            description: 'Routes with their own latency objective.',
            fields: { name, routes, threshold: duration('Requests at or under this duration are good.'), target: ratio('Share of requests that must be good.'), page: page('Page when the budget burns fast.') },
            required: ['routes', 'threshold', 'target'],
          },
        },
      },
    },
    ai: {
      type: 'list',
      description: 'Objectives of AI calls, per provider and model; a model belongs to the first entry that matches it. Replaces the default list.',
      items: {
        type: 'object',
        description: 'AI calls of the models matched, each model judged on its own.',
        fields: {
          name,
          models: { type: 'string', description: '`provider/model`, either part a glob, or `*`.', pattern: MODELS_PATTERN, example: 'openai/gpt-4o*' },
          operation: { type: 'string', description: 'Only calls of this operation (`chat`, `embeddings`, …).' },
          page: page('Page when a budget burns fast (default false: a model failing behind failover is a ticket).'),
          success: ratio('Share of calls that must not fail.'),
          time_to_first_chunk: latency('Streamed calls: time to the first chunk.'),
          time_per_output_token: latency('Generating calls: seconds per output token.'),
          duration: latency('Calls without output tokens (embeddings): duration.'),
        },
        required: ['models'],
      },
    },
    caches: {
      type: 'list',
      description: 'Objectives of caches; a cache belongs to the first entry that matches it. Replaces the default list.',
      items: {
        type: 'object',
        description: 'The caches matched.',
        fields: {
          name: { type: 'string', description: 'Cache name (`cache_name`), a glob.', example: 'responses' },
          expected_hit_ratio: { type: 'ratio', description: 'Hit ratio the owner expects; without it the cache is compared with its own last day.', inclusiveMax: true },
          success: ratio('Share of lookups that must not fail.'),
          page: page('Page when the budget burns fast (default false).'),
        },
        required: ['name'],
      },
    },
    saturation: {
      type: 'object',
      description: 'What the service may use before it counts as saturated.',
      fields: { cpu_cores: { type: 'number', description: 'CPU cores (CPU seconds per second).' }, event_loop_lag: duration('Event-loop lag p99.') },
    },
    monthly_budget_usd: { type: 'number', description: 'Monthly AI spend budget of the service, in US dollars.' },
    budgets: {
      type: 'object',
      description: "Monthly AI budgets of the service's tenants and features, and when their projected spend warns.",
      fields: {
        warn_at: {
          type: 'list',
          description: 'Shares of a budget at which its projected spend warns, increasing (default 80%, 95%); 100% always alerts.',
          items: { type: 'ratio', description: 'A share of the budget.', hint: '100% always alerts: list the earlier warnings only, like [80%, 95%]' },
        },
        tenants: budgetMap('tenant', 'Monthly budgets in US dollars by tenant, as the app attributes calls (the `tenant` label).', TENANT_EXAMPLE),
        features: budgetMap('feature', 'Monthly budgets in US dollars by feature (the `feature` label).', FEATURE_EXAMPLE),
      },
    },
  },
};

export const SPEC_SCHEMA: FieldSchema = {
  type: 'object',
  description: 'Modelwatch SLO spec: the objectives of each service, turned into recording rules, alerts, Grafana alerting and the health score by `npm run alerts`.',
  fields: {
    version: { type: 'integer', description: 'Spec format version.', const: 1 },
    defaults: { ...service, description: "What every service not listed under `services` gets, over Modelwatch's defaults." },
    services: { type: 'map', description: 'Services by Prometheus `job`.', values: service, keyPattern: /^\S+$/ },
  },
  required: ['version'],
};

/** Share: a number in (0, 1) or a percentage string. */
export const RATIO_PATTERN = /^\d+(?:\.\d+)?%$/;
/** Duration: seconds as a number, or `500ms`, `2.5s`, `1m`. */
export const DURATION_PATTERN = /^\d+(?:\.\d+)?(?:ms|s|m)$/;

/** The JSON Schema (draft 2020-12) of a spec, for editors (`# yaml-language-server: $schema=…`). */
export function jsonSchema(field: FieldSchema = SPEC_SCHEMA, root = true): Record<string, unknown> {
  const base = root ? { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Modelwatch SLO spec' } : {};
  switch (field.type) {
    case 'ratio':
      return { ...base, description: field.description, oneOf: [{ type: 'number', exclusiveMinimum: 0, ...(field.inclusiveMax ? { maximum: 1 } : { exclusiveMaximum: 1 }) }, { type: 'string', pattern: RATIO_PATTERN.source }] };
    case 'duration':
      return { ...base, description: field.description, oneOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', pattern: DURATION_PATTERN.source }] };
    case 'boolean':
      return { ...base, description: field.description, type: 'boolean' };
    case 'number':
      return { ...base, description: field.description, type: 'number', exclusiveMinimum: 0 };
    case 'integer':
      return { ...base, description: field.description, type: 'integer', ...(field.const === undefined ? {} : { const: field.const }) };
    case 'string':
      return { ...base, description: field.description, type: 'string', ...(field.pattern ? { pattern: field.pattern.source } : {}) };
    case 'object':
      return {
        ...base,
        description: field.description,
        type: 'object',
        properties: Object.fromEntries(Object.entries(field.fields).map(([key, value]) => [key, jsonSchema(value, false)])),
        ...(field.required ? { required: [...field.required] } : {}),
        additionalProperties: false,
      };
    case 'list':
      return { ...base, description: field.description, type: 'array', items: jsonSchema(field.items, false) };
    case 'map':
      return { ...base, description: field.description, type: 'object', ...(field.keyPattern ? { propertyNames: { pattern: field.keyPattern.source } } : {}), additionalProperties: jsonSchema(field.values, false) };
  }
}
