// The bench's history: every run appends one line (JSON) to a history file, keyed by commit and
// machine, and the summary compares each figure with the previous run on the same machine.
// A move is flagged only when it is larger than the suite's own A/A spread: the spread two
// identical measurements show in the same run (the HTTP suite's `bare again` servers; elsewhere
// the spread of the figure's own rounds, in this run or the previous one, whichever is wider).
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Used when neither run kept per-round samples of a figure (one measurement: no spread of its own). */
const DEFAULT_SPREAD = 0.05;
/** Units where a larger figure is better; for the rest (ms, bytes, fds) smaller is. */
const HIGHER_IS_BETTER = new Set(['req/s', 'calls/s', 'lines/s']);

/** Identifies the host without naming it: same CPU model, core count, memory and host name. */
export function machineKey() {
  const cpus = os.cpus();
  const id = [os.hostname(), cpus[0]?.model ?? '', cpus.length, os.totalmem()].join('|');
  return createHash('sha256').update(id).digest('hex').slice(0, 12);
}

/** Relative spread of a figure's rounds: (max − min) ÷ median; undefined without two finite samples. */
function sampleSpread(result) {
  const samples = (result.samples ?? []).filter((v) => Number.isFinite(v));
  if (samples.length < 2) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return median === 0 ? undefined : (sorted.at(-1) - sorted[0]) / Math.abs(median);
}

function spreadOf(result) {
  return Number.isFinite(result.aaSpread) ? result.aaSpread : sampleSpread(result);
}

export function readHistory(file) {
  if (!existsSync(file)) return [];
  const runs = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      runs.push(JSON.parse(line));
    } catch {
      // a line cut short (a run killed while writing) is skipped, not fatal
    }
  }
  return runs;
}

/** Appends this run: one JSON line with the figures (value, unit, spread) keyed by suite and name. */
export function appendRun(file, meta, results) {
  const figures = results.map((r) => ({ suite: r.suite, name: r.name, value: r.value, unit: r.unit, spread: spreadOf(r) }));
  appendFileSync(file, `${JSON.stringify({ ...meta, figures })}\n`);
}

/**
 * Each figure of this run against the latest earlier run on the same machine (same `quick`) that
 * has it: rows of { suite, name, unit, before, now, change, spread, flagged, better, previous }.
 */
export function compareWithPrevious(history, meta, results) {
  const rows = [];
  for (const r of results) {
    if (!Number.isFinite(r.value)) continue;
    let previous;
    let figure;
    for (let i = history.length - 1; i >= 0 && !figure; i--) {
      const run = history[i];
      if (run.machine !== meta.machine || Boolean(run.quick) !== Boolean(meta.quick)) continue;
      figure = run.figures?.find((f) => f.suite === r.suite && f.name === r.name && Number.isFinite(f.value));
      if (figure) previous = run;
    }
    if (!figure || figure.value === 0) continue;
    const change = (r.value - figure.value) / Math.abs(figure.value);
    const spreads = [spreadOf(r), figure.spread].filter((s) => Number.isFinite(s));
    const spread = spreads.length ? Math.max(...spreads) : DEFAULT_SPREAD;
    const flagged = Math.abs(change) > spread;
    const better = HIGHER_IS_BETTER.has(r.unit) ? change > 0 : change < 0;
    rows.push({ suite: r.suite, name: r.name, unit: r.unit, before: figure.value, now: r.value, change, spread, flagged, better, previous: { commit: previous.commit, at: previous.at } });
  }
  return rows;
}
