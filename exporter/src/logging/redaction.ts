import { escapeRegex } from '@modelwatch/conventions';
import { arrayOf, boolean, oneOf, positiveInteger, regExp, schemaOf, string, validateOptions, type Shape } from '../options/schema';
import { CIRCULAR, REDACTED, TRUNCATED, TRUNCATED_KEY, UNREADABLE } from './fields';
import { PII_KINDS, piiRules, type PiiKind } from './pii';

/**
 * Field names masked by default. A field matches when its name, lower-cased and
 * without `-` and `_`, ends with one of these likewise normalised: `apiKey`,
 * `x-api-key` and `OPENAI_API_KEY` all end with `apikey`; `set-cookie` with `cookie`;
 * `access_token` with `token` (`max_tokens` and `tokens_input` do not).
 */
export const DEFAULT_REDACTED_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apiKey',
  'password',
  'passwd',
  'secret',
  'token',
  'private_key',
  'access_key',
  // AWS's `SecretAccessKey` / `aws_secret_access_key`, so the name is found inside strings too.
  'secret_access_key',
] as const;

/** Query parameters masked besides the fields: API keys and signatures that only look generic in a URL. */
const DEFAULT_REDACTED_QUERY_PARAMS = ['key', 'sig', 'signature'] as const;

export interface RedactOptions {
  /**
   * More field names to mask, matched like {@link DEFAULT_REDACTED_FIELDS}; they
   * also mask `name=value` / `name: value` inside strings and URL query parameters.
   */
  fields?: readonly string[];
  /** More patterns to mask in every string; each match becomes `[REDACTED]`. */
  patterns?: readonly RegExp[];
  /**
   * Also mask personal data in every string: `email` addresses, payment `card` numbers
   * (13–19 digits passing the Luhn check) and `phone` numbers (`+` international, and
   * North American `555-123-4567` / `(555) 123-4567`). `true` for all three.
   * @defaultValue false
   */
  pii?: boolean | readonly PiiKind[];
  /** Objects nested deeper than this become `[Truncated]`. @defaultValue 10 */
  maxDepth?: number;
  /** Values visited per entry; past it, the rest becomes `[Truncated]`. @defaultValue 10000 */
  maxNodes?: number;
  /** Longer strings are cut and end with `…[Truncated]`. @defaultValue 16384 */
  maxStringLength?: number;
  /** Characters of strings per entry; past it, further strings become `[Truncated]`. @defaultValue 262144 */
  maxTotalLength?: number;
}

export const REDACT_OPTIONS: Shape<RedactOptions> = {
  fields: arrayOf(string),
  patterns: arrayOf(regExp),
  pii: oneOf(boolean, arrayOf(schemaOf(PII_KINDS.map((kind) => JSON.stringify(kind)).join(' or '), (v) => (PII_KINDS as readonly unknown[]).includes(v)))),
  maxDepth: positiveInteger,
  maxNodes: positiveInteger,
  maxStringLength: positiveInteger,
  maxTotalLength: positiveInteger,
};

interface Limits {
  maxDepth: number;
  maxNodes: number;
  maxStringLength: number;
  maxTotalLength: number;
}

const DEFAULT_LIMITS: Limits = { maxDepth: 10, maxNodes: 10_000, maxStringLength: 16_384, maxTotalLength: 262_144 };

/** Distinct field names whose verdict is remembered; the cache restarts when full. */
const KEY_CACHE_LIMIT = 4096;
/** A run of key characters this short at a cut could be a secret's prefix too short for the patterns: drop it. */
const CUT_TAIL_LIMIT = 64;
const CUT_SUFFIX = `…${TRUNCATED}`;

/** Well-known credential formats, whatever surrounds them (never inside a longer word: `risk_live_x` is not a key). */
const TOKEN_PATTERN = new RegExp(
  '(?<![A-Za-z0-9])(?:' +
    [
      'sk-[A-Za-z0-9_-]{16,}', // OpenAI sk-…, sk-proj-…, sk-svcacct-…; Anthropic sk-ant-api03-…
      'AIza[0-9A-Za-z_-]{35}', // Google (Gemini) API keys
      'gsk_[A-Za-z0-9]{20,}', // Groq
      'xai-[A-Za-z0-9]{20,}', // xAI
      'hf_[A-Za-z0-9]{20,}', // Hugging Face
      '[sr]k_(?:live|test)_[A-Za-z0-9]{10,}', // Stripe secret and restricted keys
      'whsec_[A-Za-z0-9+/=]{20,}', // Stripe webhook signing secrets
      'gh[pousr]_[A-Za-z0-9]{30,}', // GitHub tokens (personal, OAuth, user, server, refresh)
      'github_pat_[A-Za-z0-9_]{22,}', // GitHub fine-grained tokens
      'xox[abposre]-[A-Za-z0-9-]{10,}', // Slack bot, user and app-level tokens
      'xapp-[A-Za-z0-9-]{10,}', // Slack app tokens
      '(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])', // AWS access key ids (long-term and temporary)
      // JWTs, only at the start of a run of key characters. `(?=(x+))\\1` takes a whole run without
      // backtracking into it (JS has no atomic groups): either keeps a long dotless run from costing quadratic time.
      '(?<![_-])eyJ(?=([A-Za-z0-9_-]+))\\1\\.eyJ(?=([A-Za-z0-9_-]+))\\2\\.[A-Za-z0-9_-]*',
    ].join('|') +
    ')',
  'g',
);
/**
 * `Bearer <token>`, the token at least 16 characters, or 8 with a digit or symbol: a credential,
 * never a word (`the bearer of bad news`, `Bearer tokens expire`).
 */
const BEARER_PATTERN = /\bBearer[ \t]+(?:[A-Za-z0-9\-._~+/]{16,}|(?=[A-Za-z]*[0-9\-._~+/])[A-Za-z0-9\-._~+/]{8,})=*/gi;
/** `scheme://user:password@host`. */
const URL_USERINFO_PATTERN = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi;

/** Characters a key or token is made of; a cut inside a run of them may split a secret. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 45 || // -
    code === 95 || // _
    code === 46 || // .
    code === 126 || // ~
    code === 43 || // +
    code === 47 || // /
    code === 61 // =
  );
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}


/** Regex source matching a field name in text: case-insensitive, with or without its `-`/`_` separators. */
function nameSource(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[-_]/)
    .filter((part) => part !== '')
    .map(escapeRegex)
    .join('[-_]?');
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment of `__proto__` would set the prototype instead of copying the field.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

type Rule = readonly [RegExp, string | ((match: string, ...groups: string[]) => string)];

function applyRules(text: string, rules: readonly Rule[]): string {
  let out = text;
  for (const [pattern, replacement] of rules) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

function maskValue(_match: string, name: string, separator: string, value: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${name}${separator}${quote}${REDACTED}${quote}`;
}

/**
 * Masks secrets in strings and in any value, with compiled patterns and
 * bounded work. Never mutates what it is given: what changes is copied.
 */
export class Redactor {
  readonly limits: Limits;
  private readonly suffixes: readonly string[];
  private readonly queryNames: ReadonlySet<string>;
  private readonly rules: readonly Rule[];
  private readonly ungatedRules: readonly Rule[];
  private readonly gate: RegExp;
  private readonly keyVerdicts = new Map<string, boolean>();

  constructor(options: RedactOptions = {}) {
    validateOptions('redact', REDACT_OPTIONS, options);
    this.limits = {
      maxDepth: options.maxDepth ?? DEFAULT_LIMITS.maxDepth,
      maxNodes: options.maxNodes ?? DEFAULT_LIMITS.maxNodes,
      maxStringLength: options.maxStringLength ?? DEFAULT_LIMITS.maxStringLength,
      maxTotalLength: options.maxTotalLength ?? DEFAULT_LIMITS.maxTotalLength,
    };
    const names = [...DEFAULT_REDACTED_FIELDS, ...(options.fields ?? [])].filter((name) => normalizeName(name) !== '');
    this.suffixes = [...new Set(names.map(normalizeName))];
    this.queryNames = new Set(DEFAULT_REDACTED_QUERY_PARAMS);
    const nameAlternatives = [...new Set(names.map(nameSource))].sort((a, b) => b.length - a.length).join('|');
    const name = `(?<![A-Za-z0-9])((?:${nameAlternatives}))`;
    const queryName = `([?&;](?:${DEFAULT_REDACTED_QUERY_PARAMS.join('|')})=)`;
    // Every built-in rule needs one of these: a `:` or `=` after a name, `Bearer`, a key prefix, `://`.
    this.gate = /[:=]|bearer|sk-|aiza|gsk_|xai-|hf_|eyj|[sr]k_|whsec_|gh[pousr]_|github_pat_|xox|xapp-|akia|asia/i;
    // Rules that run whether or not the gate opens: the caller's patterns and the personal data asked for.
    this.ungatedRules = [
      ...piiRules(options.pii).map(({ pattern, isPersonal }): Rule => [pattern, (match) => (isPersonal(match) ? REDACTED : match)]),
      ...(options.patterns ?? []).map((pattern): Rule => [new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`), REDACTED]),
    ];
    this.rules = [
      // `Authorization: Basic …`, `"api_key": "…"`: the value runs to its closing quote, else to the end of the line.
      // An unquoted value also ends at a quote or a backslash, so a JSON line (redact() after json()) stays valid JSON.
      [new RegExp(`${name}(["']?[ \\t]*:[ \\t]*)("(?:[^"\\\\\\r\\n]|\\\\.)*"|'[^'\\r\\n]*'|[^"\\\\\\r\\n]*)`, 'gi'), maskValue],
      // `password=…`, `?api_key=…&`: the value ends at a separator.
      [new RegExp(`${name}([ \\t]*=[ \\t]*)("[^"\\r\\n]*"|'[^'\\r\\n]*'|[^&#\\s"',;<>]*)`, 'gi'), maskValue],
      [new RegExp(`${queryName}[^&#\\s"'<>]*`, 'gi'), `$1${REDACTED}`],
      [BEARER_PATTERN, `Bearer ${REDACTED}`],
      [TOKEN_PATTERN, REDACTED],
      [URL_USERINFO_PATTERN, `$1${REDACTED}@`],
      ...this.ungatedRules,
    ];
  }

  /** Whether a field of this name is masked whatever its value. */
  isSensitiveField(name: string): boolean {
    const known = this.keyVerdicts.get(name);
    if (known !== undefined) return known;
    const normalized = normalizeName(name);
    const verdict = this.suffixes.some((suffix) => normalized.endsWith(suffix));
    if (this.keyVerdicts.size >= KEY_CACHE_LIMIT) this.keyVerdicts.clear();
    this.keyVerdicts.set(name, verdict);
    return verdict;
  }

  /** The string with its secrets masked, cut to `maxStringLength` unless `cutLong` is false. */
  string(text: string, cutLong = true): string {
    const out = cutLong && text.length > this.limits.maxStringLength ? cut(text, this.limits.maxStringLength) : text;
    // Most strings hold none of the built-in patterns' anchors: one scan instead of one per pattern.
    if (!this.gate.test(out)) return this.ungatedRules.length === 0 ? out : applyRules(out, this.ungatedRules);
    return applyRules(out, this.rules);
  }

  /**
   * A URL query (without its `?`): each value masked unless `logsValue(name)` says it
   * may be written, and then still masked when the name is a secret's, or its secrets masked.
   */
  query(query: string, logsValue: (name: string) => boolean): string {
    return query
      .split('&')
      .map((parameter) => {
        const equals = parameter.indexOf('=');
        if (equals === -1) return this.string(parameter);
        const name = parameter.slice(0, equals);
        let decoded = name;
        try {
          decoded = decodeURIComponent(name);
        } catch {
          // A malformed escape: judge the name as written.
        }
        const masked = !logsValue(decoded) || this.isSensitiveField(decoded) || this.queryNames.has(decoded.toLowerCase());
        return `${this.string(name)}=${masked ? REDACTED : this.string(parameter.slice(equals + 1))}`;
      })
      .join('&');
  }

  /** Any value with secrets masked and bounds applied; the same reference when nothing changed. */
  value(value: unknown): unknown {
    return new Walk(this).visit(value, 0);
  }

  /**
   * The fields of an object (a log entry) masked and bounded, `depth` 0 being the
   * object itself; the same reference when nothing changed. Own symbol-keyed
   * fields are not read (the caller keeps them).
   */
  fields(entry: object): Record<string, unknown> {
    const walk = new Walk(this);
    walk.enter(entry);
    return walk.object(entry as Record<string, unknown>, 0);
  }
}

/** Cuts a string; a short run of key characters at the cut is dropped, as it could be a secret's unrecognisable prefix. */
function cut(text: string, length: number): string {
  let end = length;
  while (end > 0 && length - end <= CUT_TAIL_LIMIT && isTokenChar(text.charCodeAt(end - 1))) end--;
  if (length - end > CUT_TAIL_LIMIT) end = length;
  return text.slice(0, end) + CUT_SUFFIX;
}

/** One traversal with its budget: values visited, string characters kept, the objects on the current path. */
class Walk {
  private nodes = 0;
  private chars = 0;
  private readonly path = new Set<object>();

  constructor(private readonly redactor: Redactor) {}

  enter(entry: object): void {
    this.path.add(entry);
  }

  visit(value: unknown, depth: number): unknown {
    const { limits } = this.redactor;
    this.nodes++;
    if (typeof value === 'string') {
      if (this.nodes > limits.maxNodes || (this.chars >= limits.maxTotalLength && value !== '')) return TRUNCATED;
      const out = this.redactor.string(value);
      this.chars += out.length;
      return out;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (this.nodes > limits.maxNodes || depth > limits.maxDepth) return TRUNCATED;
    if (this.path.has(value)) return CIRCULAR;
    if (value instanceof Date) return value;
    // Bytes serialise as one JSON value per byte: a large buffer is cut before any is read.
    if (ArrayBuffer.isView(value) && value.byteLength > limits.maxNodes - this.nodes) return TRUNCATED;
    this.path.add(value);
    try {
      if (Array.isArray(value)) return this.array(value, depth);
      if (value instanceof Error) return this.object(plainError(value), depth);
      const toJSON = readField(value, 'toJSON');
      if (typeof toJSON === 'function') {
        // What JSON.stringify would write is what must be masked (a URL's href, a Buffer's bytes).
        const json: unknown = toJSON.call(value, '');
        if (json !== value) {
          const out = this.visit(json, depth);
          return out === json ? value : out;
        }
      }
      return this.object(value as Record<string, unknown>, depth);
    } catch {
      return UNREADABLE;
    } finally {
      this.path.delete(value);
    }
  }

  private array(items: readonly unknown[], depth: number): unknown[] {
    const { maxNodes } = this.redactor.limits;
    let out: unknown[] | undefined;
    for (let i = 0; i < items.length; i++) {
      if (this.nodes >= maxNodes) {
        out ??= items.slice(0, i);
        out.push(TRUNCATED);
        return out;
      }
      const item = readItem(items, i);
      const next = item === READ_FAILED ? UNREADABLE : this.visit(item, depth + 1);
      if (out !== undefined) out.push(next);
      else if (next !== item) {
        out = items.slice(0, i);
        out.push(next);
      }
    }
    return out ?? (items as unknown[]);
  }

  object(source: Record<string, unknown>, depth: number): Record<string, unknown> {
    const { redactor } = this;
    const keys = Object.keys(source);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (this.nodes >= redactor.limits.maxNodes) {
        out ??= copyFields(source, keys, i);
        setOwn(out, TRUNCATED_KEY, TRUNCATED);
        return out;
      }
      const item = readField(source, key);
      let next: unknown;
      if (item === READ_FAILED) next = UNREADABLE;
      else if (item !== undefined && item !== null && redactor.isSensitiveField(key)) {
        this.nodes++;
        next = REDACTED;
      } else {
        next = this.visit(item, depth + 1);
      }
      if (out !== undefined) setOwn(out, key, next);
      else if (next !== item) {
        out = copyFields(source, keys, i);
        setOwn(out, key, next);
      }
    }
    return out ?? source;
  }
}

/** What a throwing getter yields; written as `[Unreadable]`, and always a change (the original would throw in json()). */
const READ_FAILED: unique symbol = Symbol('read failed');

function readField(source: object, key: string): unknown {
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    return READ_FAILED;
  }
}

/** The field's value, `[Unreadable]` when its getter throws. */
function readValue(source: object, key: string): unknown {
  const value = readField(source, key);
  return value === READ_FAILED ? UNREADABLE : value;
}

function readItem(items: readonly unknown[], index: number): unknown {
  try {
    return items[index];
  } catch {
    return READ_FAILED;
  }
}

/** A plain copy of the first `count` fields; they were read once already and did not change. */
function copyFields(source: Record<string, unknown>, keys: readonly string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string;
    setOwn(out, key, readValue(source, key));
  }
  return out;
}

/**
 * An Error as JSON can show it: its own fields plus `message`, `stack`, `cause`
 * and (`withName`) `name`, which JSON.stringify would drop.
 */
export function plainError(error: Error, withName = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(error)) setOwn(out, key, readValue(error, key));
  const name = readValue(error, 'name');
  if (withName && typeof name === 'string') out.name = name;
  out.message = readValue(error, 'message');
  const stack = readValue(error, 'stack');
  if (stack !== undefined) out.stack = stack;
  const cause = readValue(error, 'cause');
  if (cause !== undefined) out.cause = cause;
  return out;
}
