/**
 * Reading an SLO spec file: YAML, checked against the schema and for what the
 * schema cannot say (thresholds on bucket bounds, objectives with unique
 * names), then filled in from the defaults. Every problem is reported at once
 * as `file:line:column: path: message`.
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_SERVICE_SLOS,
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS,
  GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS,
  HEALTH_COMPONENT,
  HTTP_DURATION_BUCKETS,
  METRICS,
  OVERFLOW_LABEL_VALUE,
  UNATTRIBUTED_LABEL_VALUE,
  type AiSpec,
  type AttributedBudgetsSpec,
  type CacheSpec,
  type LatencySpec,
  type ModelMatch,
  type RouteMatch,
  type RouteOverrideSpec,
  type ServiceSloSpec,
  type SloSpec,
} from '@modelwatch/conventions';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { percent } from '../catalogue/alert-rule';
import { serviceObjectives } from './objectives';
import { SPEC_SCHEMA } from './schema';
import { isRecord, parseDuration, parseRatio, validate, type SpecPath, type SpecProblem } from './validate';

export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly { line: number; column: number; path: string; message: string }[],
  ) {
    super(`${file}: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} in the SLO spec:\n${problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n')}`);
    this.name = 'SpecError';
  }
}

export function loadSpec(file: string): SloSpec {
  return parseSpec(readFileSync(file, 'utf8'), file);
}

/** The spec in `text` (named `file` in messages); throws {@link SpecError}. */
export function parseSpec(text: string, file: string): SloSpec {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SpecError(
      file,
      document.errors.map((error) => ({ line: error.linePos?.[0].line ?? 1, column: error.linePos?.[0].col ?? 1, path: '', message: error.message.split('\n')[0] ?? error.message })),
    );
  }
  const raw: unknown = document.toJS();
  const fail = (problems: readonly SpecProblem[]): never => {
    throw new SpecError(
      file,
      problems.map((problem) => ({ ...position(document, lineCounter, problem.path), path: problem.path.join('.'), message: problem.message })),
    );
  };
  const structural = validate(raw, SPEC_SCHEMA);
  if (structural.length > 0) fail(structural);

  const root = raw as Record<string, unknown>;
  const defaults = serviceSpec(root.defaults, DEFAULT_SERVICE_SLOS);
  const services = Object.fromEntries(Object.entries(isRecord(root.services) ? root.services : {}).map(([job, service]) => [job, serviceSpec(service, defaults)]));
  const spec: SloSpec = { services, defaults };
  const semantic = [
    ...(root.defaults === undefined ? [] : thresholdProblems(root.defaults, ['defaults'])),
    ...Object.entries(isRecord(root.services) ? root.services : {}).flatMap(([job, service]) => thresholdProblems(service, ['services', job])),
    ...nameProblems(spec),
    ...(root.defaults === undefined ? [] : budgetProblems(root.defaults, ['defaults'])),
    ...Object.entries(isRecord(root.services) ? root.services : {}).flatMap(([job, service]) => budgetProblems(service, ['services', job])),
  ];
  if (semantic.length > 0) fail(semantic);
  return spec;
}

/** Line and column of the node at `path`, or of the nearest ancestor that exists. */
function position(document: Document, lineCounter: LineCounter, path: SpecPath): { line: number; column: number } {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

type Raw = Record<string, unknown>;
const field = (raw: unknown, key: string): unknown => (isRecord(raw) ? raw[key] : undefined);
const ratioOr = (value: unknown, fallback: number): number => parseRatio(value) ?? fallback;
const secondsOr = (value: unknown, fallback: number): number => parseDuration(value) ?? fallback;

/** A service's spec: what `raw` says, the rest from `base`. Lists (routes, ai, caches) replace the base's whole. */
function serviceSpec(raw: unknown, base: ServiceSloSpec): ServiceSloSpec {
  const availability = field(raw, 'availability');
  const latency = field(raw, 'latency');
  const saturation = field(raw, 'saturation');
  const ai = field(raw, 'ai');
  const caches = field(raw, 'caches');
  return {
    availability: {
      target: ratioOr(field(availability, 'target'), base.availability.target),
      page: (field(availability, 'page') as boolean | undefined) ?? base.availability.page,
      routes: Array.isArray(field(availability, 'routes')) ? (field(availability, 'routes') as Raw[]).map(routeOverride) : base.availability.routes,
    },
    httpLatency: {
      thresholdSeconds: secondsOr(field(latency, 'threshold'), base.httpLatency.thresholdSeconds),
      target: ratioOr(field(latency, 'target'), base.httpLatency.target),
      page: (field(latency, 'page') as boolean | undefined) ?? base.httpLatency.page,
      routes: Array.isArray(field(latency, 'routes')) ? (field(latency, 'routes') as Raw[]).map(routeOverride) : base.httpLatency.routes,
    },
    ai: Array.isArray(ai) ? (ai as Raw[]).map(aiSpec) : base.ai,
    caches: Array.isArray(caches) ? (caches as Raw[]).map(cacheSpec) : base.caches,
    saturation: {
      cpuCores: (field(saturation, 'cpu_cores') as number | undefined) ?? base.saturation.cpuCores,
      eventLoopLagSeconds: secondsOr(field(saturation, 'event_loop_lag'), base.saturation.eventLoopLagSeconds),
    },
    monthlyBudgetUsd: (field(raw, 'monthly_budget_usd') as number | undefined) ?? base.monthlyBudgetUsd,
    budgets: budgetsSpec(field(raw, 'budgets'), base.budgets),
  };
}

/** Each key given replaces the base's whole: a service's tenants are its own, not added to the defaults'. */
function budgetsSpec(raw: unknown, base: AttributedBudgetsSpec): AttributedBudgetsSpec {
  const warnAt = field(raw, 'warn_at');
  const map = (key: string, fallback: Readonly<Record<string, number>>) => (isRecord(field(raw, key)) ? (field(raw, key) as Record<string, number>) : fallback);
  return {
    warnAt: Array.isArray(warnAt) ? warnAt.map((share) => parseRatio(share) as number) : base.warnAt,
    tenant: map('tenants', base.tenant),
    feature: map('features', base.feature),
  };
}

function routeOverride(raw: Raw): RouteOverrideSpec {
  return {
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    routes: (raw.routes as string[]).map(parseRoute),
    target: parseRatio(raw.target) as number,
    ...(raw.threshold === undefined ? {} : { thresholdSeconds: parseDuration(raw.threshold) as number }),
    ...(typeof raw.page === 'boolean' ? { page: raw.page } : {}),
  };
}

function aiSpec(raw: Raw): AiSpec {
  const latency = (value: unknown): LatencySpec | undefined =>
    isRecord(value) ? { thresholdSeconds: parseDuration(value.threshold) as number, target: parseRatio(value.target) as number } : undefined;
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    ...optional('name', raw.name as string | undefined),
    match: parseModels(raw.models as string, raw.operation as string | undefined),
    page: (raw.page as boolean | undefined) ?? false,
    ...optional('success', parseRatio(raw.success)),
    ...optional('timeToFirstChunk', latency(raw.time_to_first_chunk)),
    ...optional('timePerOutputToken', latency(raw.time_per_output_token)),
    ...optional('duration', latency(raw.duration)),
  };
}

function cacheSpec(raw: Raw): CacheSpec {
  return {
    name: raw.name as string,
    ...(raw.expected_hit_ratio === undefined ? {} : { expectedHitRatio: parseRatio(raw.expected_hit_ratio) as number }),
    ...(raw.success === undefined ? {} : { success: parseRatio(raw.success) as number }),
    page: (raw.page as boolean | undefined) ?? false,
  };
}

/** `POST /chat` → method and route; `/admin/*` → route only. */
export function parseRoute(text: string): RouteMatch {
  const space = text.indexOf(' ');
  return space < 0 ? { route: text } : { method: text.slice(0, space), route: text.slice(space + 1) };
}

/** `openai/gpt-4o*` → provider and model globs; `*` → every model. */
export function parseModels(text: string, operation?: string): ModelMatch {
  const [provider, model] = text === '*' ? ['*', '*'] : [text.slice(0, text.indexOf('/')), text.slice(text.indexOf('/') + 1)];
  return { provider: provider ?? '*', model: model ?? '*', ...(operation ? { operation } : {}) };
}

/** Thresholds must be bucket bounds: an SLI counts the events in the buckets at or under it, exactly. */
function thresholdProblems(service: unknown, at: SpecPath): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const check = (value: unknown, path: SpecPath, bounds: readonly number[], metric: string) => {
    const seconds = parseDuration(value);
    if (seconds === undefined || bounds.includes(seconds)) return;
    const below = [...bounds].reverse().find((b) => b < seconds);
    const above = bounds.find((b) => b > seconds);
    const nearest = [below, above].filter((b): b is number => b !== undefined).map(formatSeconds);
    problems.push({
      path,
      message: `${formatSeconds(seconds)} is not a bucket bound of ${metric}, so no query can count the events under it exactly; use ${nearest.join(' or ')} (bounds: ${bounds.map(formatSeconds).join(', ')})`,
    });
  };
  const http = `${METRICS.httpServerRequestDuration.name}`;
  const latency = field(service, 'latency');
  check(field(latency, 'threshold'), [...at, 'latency', 'threshold'], HTTP_DURATION_BUCKETS, http);
  const routes = field(latency, 'routes');
  if (Array.isArray(routes)) routes.forEach((route, index) => check(field(route, 'threshold'), [...at, 'latency', 'routes', index, 'threshold'], HTTP_DURATION_BUCKETS, http));
  const ai = field(service, 'ai');
  if (Array.isArray(ai)) {
    ai.forEach((entry, index) => {
      const path = [...at, 'ai', index];
      check(field(field(entry, 'time_to_first_chunk'), 'threshold'), [...path, 'time_to_first_chunk', 'threshold'], GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS, METRICS.genAiTimeToFirstChunk.name);
      check(field(field(entry, 'time_per_output_token'), 'threshold'), [...path, 'time_per_output_token', 'threshold'], GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS, METRICS.genAiTimePerOutputToken.name);
      check(field(field(entry, 'duration'), 'threshold'), [...path, 'duration', 'threshold'], GEN_AI_DURATION_BUCKETS, METRICS.genAiOperationDuration.name);
      if (['success', 'time_to_first_chunk', 'time_per_output_token', 'duration'].every((key) => field(entry, key) === undefined)) {
        problems.push({ path, message: 'sets no objective; give at least one of success, time_to_first_chunk, time_per_output_token, duration' });
      }
    });
  }
  return problems;
}

/** Objective names are the `slo` label: unique within a service, and not the name of another health component. */
function nameProblems(spec: SloSpec): SpecProblem[] {
  const reserved: readonly string[] = Object.values(HEALTH_COMPONENT);
  return serviceObjectives(spec).flatMap((service) => {
    const seen = new Map<string, SpecPath>();
    return service.objectives.flatMap((objective) => {
      if (reserved.includes(objective.name)) return [{ path: objective.origin, message: `"${objective.name}" is the name of a health component; name the objective otherwise` }];
      const first = seen.get(objective.name);
      seen.set(objective.name, first ?? objective.origin);
      return first ? [{ path: objective.origin, message: `a second objective named "${objective.name}" in ${service.title} (the first is at ${first.join('.')}); give one a different name` }] : [];
    });
  });
}

/** Warnings come in increasing order; `_other` and `_none` are the exporter's folds, not tenants or features with a budget. */
function budgetProblems(service: unknown, at: SpecPath): SpecProblem[] {
  const budgets = field(service, 'budgets');
  const path = [...at, 'budgets'];
  const problems: SpecProblem[] = [];
  const warnAt = field(budgets, 'warn_at');
  if (Array.isArray(warnAt)) {
    warnAt.forEach((share, index) => {
      const previous = index > 0 ? parseRatio(warnAt[index - 1]) : undefined;
      const current = parseRatio(share);
      if (previous !== undefined && current !== undefined && current <= previous) {
        problems.push({ path: [...path, 'warn_at', index], message: `${percent(current)} does not come after ${percent(previous)}; list the warnings in increasing order, each once, like [80%, 95%]` });
      }
    });
  }
  const folded = new Map([
    [OVERFLOW_LABEL_VALUE, 'collects the tenants outside the top spenders (and features beyond the cap)'],
    [UNATTRIBUTED_LABEL_VALUE, 'collects the calls the app did not attribute'],
  ]);
  for (const owner of ['tenants', 'features'] as const) {
    const names = field(budgets, owner);
    if (!isRecord(names)) continue;
    for (const name of Object.keys(names)) {
      const what = folded.get(name);
      if (what === undefined) continue;
      problems.push({
        path: [...path, owner, name],
        message: `"${name}" ${what}: it is no ${owner.slice(0, -1)} and has no budget of its own; budget named ${owner} (the service's monthly_budget_usd covers the rest)`,
      });
    }
  }
  return problems;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Number((seconds * 1000).toPrecision(6))}ms` : `${seconds}s`;
}
