import type { IncomingHttpHeaders } from 'node:http';
import { HEADER_FAULT_KINDS, type HeaderFaultKind } from './faults';

/** Headers a request can send to control the fake for itself. */
export const OVERRIDE_HEADERS = {
  /** One of `rate_limit`, `server_error`, `overloaded`, `timeout`, `disconnect`. */
  fault: 'x-fake-fault',
  /** JSON merged over the usage object the endpoint reports, in the provider's own field names. */
  usage: 'x-fake-usage',
  /** The number of visible output tokens to generate (still capped by `max_tokens`). */
  outputTokens: 'x-fake-output-tokens',
  /** The model that answers instead of the requested one (a fallback or a router's choice). */
  servedModel: 'x-fake-served-model',
} as const;

/** Nested numbers, in the provider's usage field names. */
export interface UsageOverride {
  [field: string]: number | null | UsageOverride;
}

/** What a request's `x-fake-*` headers asked for. */
export interface RequestOverrides {
  fault?: HeaderFaultKind;
  usage?: UsageOverride;
  outputTokens?: number;
  servedModel?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Reads the `x-fake-*` headers; a malformed one is an error naming it. */
export function parseOverrides(headers: IncomingHttpHeaders): ParseResult<RequestOverrides> {
  const overrides: RequestOverrides = {};
  const fault = single(headers[OVERRIDE_HEADERS.fault]);
  if (fault !== undefined) {
    if (!(HEADER_FAULT_KINDS as readonly string[]).includes(fault)) {
      return { ok: false, message: `${OVERRIDE_HEADERS.fault} must be one of ${HEADER_FAULT_KINDS.join(', ')}, got ${JSON.stringify(fault)}` };
    }
    overrides.fault = fault as HeaderFaultKind;
  }
  const usage = single(headers[OVERRIDE_HEADERS.usage]);
  if (usage !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(usage);
    } catch {
      return { ok: false, message: `${OVERRIDE_HEADERS.usage} must be JSON, got ${JSON.stringify(usage)}` };
    }
    if (!isUsageOverride(parsed)) {
      return { ok: false, message: `${OVERRIDE_HEADERS.usage} must be a JSON object of non-negative integers (nested objects allowed), got ${usage}` };
    }
    overrides.usage = parsed;
  }
  const outputTokens = single(headers[OVERRIDE_HEADERS.outputTokens]);
  if (outputTokens !== undefined) {
    const value = Number(outputTokens);
    if (!/^\d+$/.test(outputTokens.trim()) || !Number.isSafeInteger(value)) {
      return { ok: false, message: `${OVERRIDE_HEADERS.outputTokens} must be a non-negative integer, got ${JSON.stringify(outputTokens)}` };
    }
    overrides.outputTokens = value;
  }
  const servedModel = single(headers[OVERRIDE_HEADERS.servedModel]);
  if (servedModel !== undefined) {
    if (servedModel.trim() === '') return { ok: false, message: `${OVERRIDE_HEADERS.servedModel} must name a model` };
    overrides.servedModel = servedModel.trim();
  }
  return { ok: true, value: overrides };
}

/**
 * `usage` with `override` merged over it, field by field (nested objects merged too).
 * Returns a new object; `usage` is left alone.
 */
export function mergeUsage<T extends object>(usage: T, override: UsageOverride | undefined): T {
  if (!override) return usage;
  const merged: Record<string, unknown> = { ...(usage as Record<string, unknown>) };
  for (const [field, value] of Object.entries(override)) {
    const current = merged[field];
    merged[field] = value !== null && typeof value === 'object' && current !== null && typeof current === 'object'
      ? mergeUsage(current, value)
      : value;
  }
  return merged as T;
}

function isUsageOverride(value: unknown): value is UsageOverride {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(
    (field) => field === null || (typeof field === 'number' && Number.isSafeInteger(field) && field >= 0) || isUsageOverride(field),
  );
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
