// Suite — log redaction cost: a typical log line through the redact() format
// beside winston's own json() format, and the worst case of 64K-character strings
// built to make a backtracking pattern explode (the redactor must stay linear).
import { createRequire } from 'node:module';
import { fmtNum, median, printTable } from './lib/util.mjs';

const require = createRequire(import.meta.url);
/** Longest acceptable time for one adversarial 64K string: far above linear, far below a ReDoS. */
const GOAL_ADVERSARIAL_MS = 200;
const ADVERSARIAL_UNITS = ['-eyJ', 'a.', 'sk-', 'Bearer ', 'password="', 'token:', 'a://', 'https://u:', '?key=', 'x-api-key ', '"api_key":"\\'];
const TYPICAL_ENTRY = {
  level: 'info',
  message: 'request handled for user 123 in 45ms',
  method: 'GET',
  path: '/users/123',
  status: 200,
  headers: { 'user-agent': 'curl/8.5', accept: '*/*', authorization: 'Bearer sk-live-0123456789abcdef' },
};

/** Microseconds per transform of a copy of the typical entry, median of `rounds`. */
function perLineMicros(format, lines, rounds) {
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (let i = 0; i < lines; i++) format.transform({ ...TYPICAL_ENTRY, headers: { ...TYPICAL_ENTRY.headers } }, {});
    samples.push(((performance.now() - started) * 1000) / lines);
  }
  return median(samples);
}

export async function run({ quick }) {
  const { redact } = require('../dist/logging/index.js');
  const { Redactor } = require('../dist/logging/redaction.js');
  const winston = require('winston');
  const lines = quick ? 20_000 : 200_000;
  const rounds = quick ? 3 : 7;

  const redactUs = perLineMicros(redact(), lines, rounds);
  const jsonUs = perLineMicros(winston.format.json(), lines, rounds);

  const redactor = new Redactor({ maxStringLength: 65_536 });
  const adversarial = ADVERSARIAL_UNITS.map((unit) => {
    const text = unit.repeat(Math.ceil(65_536 / unit.length)).slice(0, 65_536);
    const samples = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      redactor.string(text);
      samples.push(performance.now() - started);
    }
    return { unit, ms: median(samples) };
  });
  const worst = adversarial.reduce((a, b) => (b.ms > a.ms ? b : a));

  printTable('Log redaction (one core)', ['format', 'µs per line'], [
    ['modelwatch redact()', fmtNum(redactUs, 2)],
    ['winston format.json() (no redaction, reference)', fmtNum(jsonUs, 2)],
  ]);
  printTable('Adversarial 64K strings (linear-time guard)', ['repeated unit', 'ms'], adversarial.map((a) => [JSON.stringify(a.unit), fmtNum(a.ms, 1)]));

  const base = { suite: 'redaction' };
  return {
    results: [
      { ...base, name: 'redact() per typical log line', value: redactUs, unit: 'µs', peers: { 'winston format.json()': jsonUs } },
      { ...base, name: `worst adversarial 64K string (${JSON.stringify(worst.unit)})`, value: worst.ms, unit: 'ms', peers: {}, goal: `≤ ${GOAL_ADVERSARIAL_MS} ms`, meetsGoal: worst.ms <= GOAL_ADVERSARIAL_MS },
    ],
    goals: [{ goal: `redaction stays linear: worst 64K string ≤ ${GOAL_ADVERSARIAL_MS} ms`, value: `${fmtNum(worst.ms, 1)} ms`, pass: worst.ms <= GOAL_ADVERSARIAL_MS }],
  };
}
