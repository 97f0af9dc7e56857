import { MAX_LABEL_VALUE_LENGTH } from '@modelwatch/conventions';

// Node 20 has String.prototype.isWellFormed/toWellFormed (ES2024); the ES2023 lib we compile against does not declare them.
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_CHARACTERS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Turns any value into a safe label value: strings are cut to the length cap,
 * lone surrogates (invalid UTF-8 once encoded) become U+FFFD and control
 * characters become spaces. Never throws: a value whose toString throws becomes ''.
 */
export function sanitizeLabelValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined || value === null) return '';
  else {
    try {
      text = String(value);
    } catch {
      return '';
    }
  }
  if (text.length > MAX_LABEL_VALUE_LENGTH) text = text.slice(0, MAX_LABEL_VALUE_LENGTH);
  if (!(text as unknown as WellFormedString).isWellFormed()) text = (text as unknown as WellFormedString).toWellFormed();
  if (CONTROL_CHARACTERS.test(text)) text = text.replace(CONTROL_CHARACTERS_ALL, ' ');
  return text;
}

/** Escaping of label values shared by the Prometheus text format and OpenMetrics. */
export function escapeLabelValue(value: string): string {
  if (!needsEscape(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const LINE_FEED = 0x0a;

/**
 * Whether `value` holds a character exposition escapes. A loop, not `/[\\"\n]/.test`: exposition
 * asks this of every label value of every series, and the regular expression allocated about
 * 55 bytes a call (2.2 MB of garbage per scrape of 10k histogram series, by allocation sampling).
 */
function needsEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === BACKSLASH || code === DOUBLE_QUOTE || code === LINE_FEED) return true;
  }
  return false;
}

/** Escaping of HELP text in the Prometheus text format. */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/**
 * `a="x",b="y"` for the given names and already-sanitised values. Joined rather
 * than concatenated: the result is one flat string, where `+=` would leave a
 * rope of small strings that every series would keep (about 3× the memory).
 */
export function formatLabelPairs(names: readonly string[], values: readonly string[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < names.length; i++) pairs.push(`${names[i]}="${escapeLabelValue(values[i] ?? '')}"`);
  return pairs.join(',');
}

/** Sample value as both formats print it. */
export function formatNumber(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}
