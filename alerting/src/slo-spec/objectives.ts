/**
 * A spec turned into what the rules implement: for each service (and for
 * every other service, under the defaults) its objectives with names, scopes
 * and words, its caches and its limits. Overrides are ordered: the first
 * entry that matches a route, model or cache claims it; the rest exclude it.
 */
import {
  SLO_KIND,
  type AttributedBudgetsSpec,
  type CacheScope,
  type CacheSpec,
  type JobScope,
  type LatencySpec,
  type ModelMatch,
  type Objective,
  type ObjectiveScope,
  type RouteMatch,
  type RouteOverrideSpec,
  type SaturationLimits,
  type ServiceSloSpec,
  type SloKind,
  type SloSpec,
} from '@modelwatch/conventions';
import type { SpecPath } from './validate';

export interface ServiceObjectives {
  readonly jobs: JobScope;
  /** `demo`, or `every other service` for the defaults. */
  readonly title: string;
  readonly objectives: readonly LocatedObjective[];
  readonly caches: readonly { readonly scope: CacheScope; readonly expectedHitRatio?: number }[];
  readonly saturation: SaturationLimits;
  readonly monthlyBudgetUsd: number;
  readonly budgets: AttributedBudgetsSpec;
}

/** An objective and where in the spec it comes from (for error messages). */
export interface LocatedObjective extends Objective {
  readonly origin: SpecPath;
}

/** The title of the defaults' rules (Grafana rule titles, messages). */
export const OTHER_SERVICES = 'every other service';

/** Every service of the spec, then the defaults for every service it does not name. */
export function serviceObjectives(spec: SloSpec): ServiceObjectives[] {
  const named = Object.entries(spec.services).map(([job, service]) => objectivesOf({ job }, job, service, ['services', job]));
  return [...named, objectivesOf({ allBut: Object.keys(spec.services) }, OTHER_SERVICES, spec.defaults, ['defaults'])];
}

function objectivesOf(jobs: JobScope, title: string, service: ServiceSloSpec, origin: SpecPath): ServiceObjectives {
  const objectives: LocatedObjective[] = [];
  const add = (objective: Omit<LocatedObjective, 'jobs'>) => objectives.push({ jobs, ...objective });

  const { availability, httpLatency } = service;
  httpObjectives(SLO_KIND.availability, 'availability', availability, undefined, [...origin, 'availability']).forEach(add);
  httpObjectives(SLO_KIND.httpLatency, 'latency', httpLatency, httpLatency.thresholdSeconds, [...origin, 'latency']).forEach(add);

  service.ai.forEach((entry, index) => {
    const scope: ObjectiveScope = { over: 'ai', include: entry.match, exclude: service.ai.slice(0, index).map((earlier) => earlier.match) };
    const base = entry.name ?? modelsText(entry.match);
    const scopeText = `${modelsText(entry.match)}${entry.match.operation ? ` ${entry.match.operation}` : ''}${index > 0 && isEverything(entry.match) ? ' (not claimed above)' : ''}`;
    const at = [...origin, 'ai', index];
    const latency = (kind: SloKind, what: string, spec: LatencySpec | undefined, field: string) =>
      spec && add({ name: `${base}: ${what}`, kind, target: spec.target, thresholdSeconds: spec.thresholdSeconds, page: entry.page, scope, scopeText, origin: [...at, field] });
    if (entry.success !== undefined) add({ name: `${base}: success`, kind: SLO_KIND.aiSuccess, target: entry.success, page: entry.page, scope, scopeText, origin: [...at, 'success'] });
    latency(SLO_KIND.aiTimeToFirstChunk, 'time to first chunk', entry.timeToFirstChunk, 'time_to_first_chunk');
    latency(SLO_KIND.aiTimePerOutputToken, 'time per output token', entry.timePerOutputToken, 'time_per_output_token');
    latency(SLO_KIND.aiDuration, 'duration', entry.duration, 'duration');
  });

  const caches = service.caches.map((entry, index) => ({ entry, index, scope: { jobs, include: entry.name, exclude: service.caches.slice(0, index).map((c) => c.name) } }));
  for (const { entry, index, scope } of caches) {
    if (entry.success === undefined) continue;
    add({
      name: `${cacheText(entry, index)}: success`,
      kind: SLO_KIND.cacheSuccess,
      target: entry.success,
      page: entry.page,
      scope: { over: 'cache', include: scope.include, exclude: scope.exclude },
      scopeText: cacheText(entry, index),
      origin: [...origin, 'caches', index, 'success'],
    });
  }

  return {
    jobs,
    title,
    objectives,
    caches: caches.map(({ entry, scope }) => ({ scope, ...(entry.expectedHitRatio === undefined ? {} : { expectedHitRatio: entry.expectedHitRatio }) })),
    saturation: service.saturation,
    monthlyBudgetUsd: service.monthlyBudgetUsd,
    budgets: service.budgets,
  };
}

/** The service-wide HTTP objective (on the routes no override claims) and one per override. */
function httpObjectives(
  kind: SloKind,
  what: string,
  spec: { readonly target: number; readonly page: boolean; readonly routes: readonly RouteOverrideSpec[] },
  thresholdSeconds: number | undefined,
  origin: SpecPath,
): Omit<LocatedObjective, 'jobs'>[] {
  const claimed = spec.routes.flatMap((override) => override.routes);
  const overrides = spec.routes.map((override, index): Omit<LocatedObjective, 'jobs'> => {
    const earlier = spec.routes.slice(0, index).flatMap((o) => o.routes);
    return {
      name: override.name ?? `${routesText(override.routes)}: ${what}`,
      kind,
      target: override.target,
      ...(override.thresholdSeconds === undefined ? {} : { thresholdSeconds: override.thresholdSeconds }),
      page: override.page ?? spec.page,
      scope: { over: 'http', include: override.routes, exclude: earlier },
      scopeText: routesText(override.routes),
      origin: [...origin, 'routes', index],
    };
  });
  const serviceWide: Omit<LocatedObjective, 'jobs'> = {
    name: what,
    kind,
    target: spec.target,
    ...(thresholdSeconds === undefined ? {} : { thresholdSeconds }),
    page: spec.page,
    scope: { over: 'http', exclude: claimed },
    scopeText: claimed.length === 0 ? 'every route' : `every route but ${routesText(claimed)}`,
    origin,
  };
  return [serviceWide, ...overrides];
}

export function routeText(route: RouteMatch): string {
  return route.method ? `${route.method} ${route.route}` : route.route;
}

function routesText(routes: readonly RouteMatch[]): string {
  return routes.map(routeText).join(', ');
}

function isEverything(match: ModelMatch): boolean {
  return match.provider === '*' && match.model === '*';
}

function modelsText(match: ModelMatch): string {
  return isEverything(match) ? 'every model' : `${match.provider}/${match.model}`;
}

function cacheText(entry: CacheSpec, index: number): string {
  if (entry.name !== '*') return entry.name;
  return index === 0 ? 'every cache' : 'every other cache';
}
