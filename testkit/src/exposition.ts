/**
 * A strict parser for the Prometheus text format and OpenMetrics, so tests
 * assert exact sample values instead of matching substrings. Any line it does
 * not understand throws, which also catches malformed output.
 */

import type { Labels } from './prometheus-api';

export interface ParsedExemplar {
  labels: Labels;
  value: number;
  timestamp: number | undefined;
}

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
  exemplar: ParsedExemplar | undefined;
}

export interface Exposition {
  samples: Sample[];
  /** `# TYPE` per family name, as written. */
  types: Map<string, string>;
  /** `# HELP` per family name, unescaped. */
  helps: Map<string, string>;
  /** Every non-empty line, in order. */
  lines: string[];
}

export function parseExposition(text: string): Exposition {
  const exposition: Exposition = { samples: [], types: new Map(), helps: new Map(), lines: [] };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    exposition.lines.push(line);
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE|UNIT) (\S+) ?(.*)$/.exec(line);
      if (meta) {
        const [, keyword, family, rest] = meta as unknown as [string, string, string, string];
        if (keyword === 'HELP') exposition.helps.set(family, rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
        if (keyword === 'TYPE') exposition.types.set(family, rest);
      } else if (line !== '# EOF') {
        throw new Error(`Unknown comment line: ${line}`);
      }
      continue;
    }
    exposition.samples.push(parseSampleLine(line));
  }
  return exposition;
}

function parseSampleLine(line: string): Sample {
  const cursor = { text: line, at: 0 };
  const name = readWhile(cursor, /[a-zA-Z0-9_:]/);
  if (name === '') throw new Error(`No metric name in line: ${line}`);
  const labels = cursor.text[cursor.at] === '{' ? readLabels(cursor) : {};
  expect(cursor, ' ');
  const value = parseNumber(readWhile(cursor, /[^ ]/), line);
  if (cursor.text.startsWith(' ', cursor.at) && !cursor.text.startsWith(' #', cursor.at)) {
    cursor.at++;
    parseNumber(readWhile(cursor, /[^ ]/), line); // sample timestamp: validated, unused
  }
  let exemplar: ParsedExemplar | undefined;
  if (cursor.text.startsWith(' # ', cursor.at)) {
    cursor.at += 3;
    const exemplarLabels = readLabels(cursor);
    expect(cursor, ' ');
    const exemplarValue = parseNumber(readWhile(cursor, /[^ ]/), line);
    let timestamp: number | undefined;
    if (cursor.text[cursor.at] === ' ') {
      cursor.at++;
      timestamp = parseNumber(readWhile(cursor, /[^ ]/), line);
    }
    exemplar = { labels: exemplarLabels, value: exemplarValue, timestamp };
  }
  if (cursor.at !== line.length) throw new Error(`Trailing text at column ${cursor.at} of line: ${line}`);
  return { name, labels, value, exemplar };
}

function readLabels(cursor: { text: string; at: number }): Labels {
  const labels: Record<string, string> = {};
  expect(cursor, '{');
  while (cursor.text[cursor.at] !== '}') {
    const labelName = readWhile(cursor, /[a-zA-Z0-9_]/);
    if (labelName === '') throw new Error(`Bad label name at column ${cursor.at} of line: ${cursor.text}`);
    expect(cursor, '="');
    let value = '';
    for (;;) {
      const char = cursor.text[cursor.at++];
      if (char === undefined) throw new Error(`Unterminated label value in line: ${cursor.text}`);
      if (char === '"') break;
      if (char === '\\') {
        const escaped = cursor.text[cursor.at++];
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else throw new Error(`Bad escape \\${String(escaped)} in line: ${cursor.text}`);
      } else value += char;
    }
    if (labelName in labels) throw new Error(`Duplicate label ${labelName} in line: ${cursor.text}`);
    labels[labelName] = value;
    if (cursor.text[cursor.at] === ',') cursor.at++;
  }
  cursor.at++;
  return labels;
}

function readWhile(cursor: { text: string; at: number }, allowed: RegExp): string {
  const start = cursor.at;
  while (cursor.at < cursor.text.length && allowed.test(cursor.text[cursor.at] as string)) cursor.at++;
  return cursor.text.slice(start, cursor.at);
}

function expect(cursor: { text: string; at: number }, literal: string): void {
  if (!cursor.text.startsWith(literal, cursor.at)) throw new Error(`Expected "${literal}" at column ${cursor.at} of line: ${cursor.text}`);
  cursor.at += literal.length;
}

function parseNumber(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`Bad number "${text}" in line: ${line}`);
  return value;
}

function hasLabels(sample: Sample, labels: Labels): boolean {
  return Object.entries(labels).every(([name, value]) => sample.labels[name] === value);
}

/** Samples named `name` whose labels include every pair of `labels`. */
export function select(samples: readonly Sample[], name: string, labels: Labels = {}): Sample[] {
  return samples.filter((s) => s.name === name && hasLabels(s, labels));
}

/** The one sample named `name` with these labels (a subset match); throws when there are none or several. */
export function sampleOf(samples: readonly Sample[], name: string, labels: Labels = {}): Sample {
  const found = select(samples, name, labels);
  if (found.length !== 1) {
    const present = samples.filter((s) => s.name === name).map((s) => JSON.stringify(s.labels));
    throw new Error(`Expected one ${name} ${JSON.stringify(labels)}, found ${found.length}; present: ${present.join(' ') || 'none'}`);
  }
  return found[0] as Sample;
}

/** The value of the one sample named `name` with these labels. */
export function valueOf(samples: readonly Sample[], name: string, labels: Labels = {}): number {
  return sampleOf(samples, name, labels).value;
}

export interface HistogramSnapshot {
  /** Cumulative count per `le` label value, in exposition order, `+Inf` last. */
  buckets: Map<string, number>;
  sum: number;
  count: number;
}

/** The buckets, sum and count of one histogram series. */
export function histogramOf(samples: readonly Sample[], family: string, labels: Labels): HistogramSnapshot {
  const buckets = new Map<string, number>();
  for (const bucket of select(samples, `${family}_bucket`, labels)) buckets.set(bucket.labels.le as string, bucket.value);
  return { buckets, sum: valueOf(samples, `${family}_sum`, labels), count: valueOf(samples, `${family}_count`, labels) };
}

/** Label sets of every series of a histogram family (read from its `_count` samples). */
export function seriesOf(samples: readonly Sample[], family: string, labels: Labels = {}): Labels[] {
  return select(samples, `${family}_count`, labels).map((s) => s.labels);
}
