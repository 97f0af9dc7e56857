/**
 * The report's published JSON Schema (report/performance-baseline-report.schema.json),
 * compiled once. The generator validates every report before writing it, and
 * every baseline before comparing against it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { PerformanceReport } from './model';

/** Where the schema lives: next to src/ and dist/. */
export const SCHEMA_PATH = join(__dirname, '..', 'performance-baseline-report.schema.json');

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  }
  return compiled;
}

/** The schema's complaints about `value`, one line each (`/models/0/calls must be number`); empty when it is a valid report. */
export function schemaErrors(value: unknown): string[] {
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

export function isReport(value: unknown): value is PerformanceReport {
  return schemaErrors(value).length === 0;
}
