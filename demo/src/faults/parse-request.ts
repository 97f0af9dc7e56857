import { DEFAULT_DURATION_SECONDS, FAULT_DEFAULTS, FAULT_KINDS, KIND_PARAMS, MAX_DURATION_SECONDS, PARAM_BOUNDS, PROVIDER_FAULT_KINDS, type FaultKind, type FaultParams, type FaultSpec, type FaultTarget } from './kinds';

/** A fault request the service cannot accept; the message says which field and why (the admin API answers 400 with it). */
export class FaultRequestError extends Error {
  override name = 'FaultRequestError';
}

/** What a target may name in this service. */
export interface FaultTargets {
  providers: readonly string[];
  models: readonly string[];
  /** The models a `model_substitution` may target: those with a model of the other tier to answer for them. */
  chatModels: readonly string[];
  routes: readonly string[];
}

/**
 * Validates a fault request from the admin API (untrusted JSON) and fills in
 * defaults. `target` may be an object or, for brevity, a string: a route for
 * `http_errors`; a provider or a model for provider faults.
 */
export function parseFaultRequest(body: unknown, targets: FaultTargets): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FaultRequestError('Body must be a JSON object like {"kind": "provider_outage"}');
  const input = body as Record<string, unknown>;
  const kind = input.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultRequestError(`kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  const faultKind = kind as FaultKind;
  return {
    kind: faultKind,
    target: parseTarget(faultKind, input, targets),
    durationSeconds: parseDurationSeconds(input.durationSeconds),
    params: parseParams(faultKind, input),
  };
}

function parseDurationSeconds(value: unknown): number {
  if (value === undefined) return DEFAULT_DURATION_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_DURATION_SECONDS) {
    throw new FaultRequestError(`durationSeconds must be a number in (0, ${MAX_DURATION_SECONDS}], got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseParams(kind: FaultKind, input: Record<string, unknown>): FaultParams {
  const params: FaultParams = {};
  for (const name of Object.keys(PARAM_BOUNDS) as (keyof FaultParams)[]) {
    const value = input[name];
    if (value === undefined) continue;
    if (!KIND_PARAMS[kind].includes(name)) throw new FaultRequestError(`${name} does not apply to ${kind} (it takes ${KIND_PARAMS[kind].join(', ') || 'no parameters'})`);
    const [min, max] = PARAM_BOUNDS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new FaultRequestError(`${name} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
    }
    params[name] = value;
  }
  for (const name of KIND_PARAMS[kind]) params[name] ??= FAULT_DEFAULTS[name];
  return params;
}

function parseTarget(kind: FaultKind, input: Record<string, unknown>, targets: FaultTargets): FaultTarget {
  const raw = input.target;
  let target: FaultTarget;
  if (typeof raw === 'string') target = fromString(kind, raw, targets);
  else if (raw === undefined || raw === null) target = {};
  else if (typeof raw === 'object' && !Array.isArray(raw)) target = pickStrings(raw as Record<string, unknown>);
  else throw new FaultRequestError(`target must be a string or an object with provider, model or route, got ${JSON.stringify(raw)}`);
  // Top-level provider/model/route are accepted too (`{"kind": "provider_outage", "model": "gpt-4o"}`).
  target = { ...pickStrings(input), ...target };

  const isProviderFault = PROVIDER_FAULT_KINDS.includes(kind);
  if (!isProviderFault && (target.provider !== undefined || target.model !== undefined)) throw new FaultRequestError(`${kind} does not take a provider or model target`);
  if (kind !== 'http_errors' && target.route !== undefined) throw new FaultRequestError(`${kind} does not take a route target`);
  if (target.provider !== undefined && !targets.providers.includes(target.provider)) {
    throw new FaultRequestError(`provider must be one of ${targets.providers.join(', ')}, got ${JSON.stringify(target.provider)}`);
  }
  if (target.model !== undefined && !targets.models.includes(target.model)) {
    throw new FaultRequestError(`model must be one of ${targets.models.join(', ')}, got ${JSON.stringify(target.model)}`);
  }
  if (kind === 'model_substitution' && (target.model === undefined || !targets.chatModels.includes(target.model))) {
    throw new FaultRequestError(`model_substitution needs a chat model target, one of ${targets.chatModels.join(', ')}, got ${JSON.stringify(target.model)}`);
  }
  if (kind === 'http_errors') {
    if (target.route === undefined) throw new FaultRequestError(`http_errors needs a route target, one of ${targets.routes.join(', ')}`);
    if (!targets.routes.includes(target.route)) throw new FaultRequestError(`route must be one of ${targets.routes.join(', ')}, got ${JSON.stringify(target.route)}`);
  }
  return target;
}

function fromString(kind: FaultKind, value: string, targets: FaultTargets): FaultTarget {
  if (kind === 'http_errors') return { route: value };
  if (!PROVIDER_FAULT_KINDS.includes(kind)) throw new FaultRequestError(`${kind} does not take a target`);
  return targets.providers.includes(value) ? { provider: value } : { model: value };
}

function pickStrings(source: Record<string, unknown>): FaultTarget {
  const target: FaultTarget = {};
  for (const key of ['provider', 'model', 'route'] as const) {
    const value = source[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new FaultRequestError(`target ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
    target[key] = value;
  }
  return target;
}
