/**
 * Checks a parsed spec against its schema. Every problem is reported (not only
 * the first), at the path where it is, with the fix in the message.
 */
import { DURATION_PATTERN, RATIO_PATTERN, type FieldSchema } from './schema';

export type SpecPath = readonly (string | number)[];

export interface SpecProblem {
  readonly path: SpecPath;
  readonly message: string;
}

export function validate(value: unknown, schema: FieldSchema, path: SpecPath = []): SpecProblem[] {
  const problem = (message: string): SpecProblem[] => [{ path, message }];
  switch (schema.type) {
    case 'ratio': {
      const ratio = parseRatio(value);
      const upper = schema.inclusiveMax ? ratio !== undefined && ratio <= 1 : ratio !== undefined && ratio < 1;
      if (ratio === undefined || !(ratio > 0) || !upper) {
        return problem(`${show(value)} is not a share between 0 and 1${schema.inclusiveMax ? '' : ' (exclusive)'}; ${schema.hint ?? 'write it like 99.9% or 0.999'}`);
      }
      return [];
    }
    case 'duration': {
      const seconds = parseDuration(value);
      if (seconds === undefined) return problem(`${show(value)} is not a duration; write it like 500ms, 2.5s or 10 (seconds)`);
      if (!(seconds > 0)) return problem(`${show(value)} must be more than 0`);
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : problem(`${show(value)} is not true or false`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value > 0 ? [] : problem(`${show(value)} must be a number more than 0`);
    case 'integer':
      if (schema.const !== undefined && value !== schema.const) return problem(`${show(value)} is not supported; write ${schema.const}`);
      return Number.isInteger(value) ? [] : problem(`${show(value)} is not a whole number`);
    case 'string':
      if (typeof value !== 'string') return problem(`${show(value)} is not text${schema.example ? `; write it like ${schema.example}` : ''}`);
      if (schema.pattern && !schema.pattern.test(value)) return problem(`${show(value)} is not ${schema.description.replace(/\.$/, '').toLowerCase()}${schema.example ? ` (like ${schema.example})` : ''}`);
      return [];
    case 'list':
      if (!Array.isArray(value)) return problem(`expected a list (- item per line), got ${show(value)}`);
      return value.flatMap((item, index) => validate(item, schema.items, [...path, index]));
    case 'map':
      if (!isRecord(value)) return problem(`expected a mapping of names to entries, got ${show(value)}`);
      return Object.entries(value).flatMap(([key, item]) => [
        ...(schema.keyPattern && !schema.keyPattern.test(key) ? [{ path: [...path, key], message: `${show(key)} is not a valid name` }] : []),
        ...validate(item, schema.values, [...path, key]),
      ]);
    case 'object': {
      if (!isRecord(value)) return problem(`expected a mapping (key: value lines), got ${show(value)}`);
      const allowed = Object.keys(schema.fields);
      const unknown = Object.keys(value)
        .filter((key) => !allowed.includes(key))
        .map((key) => ({ path: [...path, key], message: `unknown field ${show(key)}${suggestion(key, allowed)}; allowed here: ${allowed.join(', ')}` }));
      const missing = (schema.required ?? []).filter((key) => value[key] === undefined).map((key) => ({ path, message: `missing ${show(key)}: ${schema.fields[key]?.description ?? ''}`.trimEnd() }));
      const fields = Object.entries(schema.fields).flatMap(([key, field]) => (value[key] === undefined ? [] : validate(value[key], field, [...path, key])));
      return [...unknown, ...missing, ...fields];
    }
  }
}

/** `99.9%` → 0.999, a number as it is; undefined for anything else. */
export function parseRatio(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && RATIO_PATTERN.test(value)) return Number((Number(value.slice(0, -1)) / 100).toPrecision(12));
  return undefined;
}

/** `500ms`, `2.5s`, `1m` or a number of seconds → seconds; undefined for anything else. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !DURATION_PATTERN.test(value)) return undefined;
  const unit = value.endsWith('ms') ? 'ms' : value.slice(-1);
  const amount = Number(value.slice(0, -unit.length));
  return Number((amount * (unit === 'ms' ? 0.001 : unit === 'm' ? 60 : 1)).toPrecision(12));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** ` (did you mean "x"?)` for a key one or two edits away from an allowed one. */
function suggestion(key: string, allowed: readonly string[]): string {
  const close = allowed.find((candidate) => editDistance(key, candidate) <= 2);
  return close ? ` (did you mean ${show(close)}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
