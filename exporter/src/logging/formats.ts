import { format, type Logform } from 'winston';
import { LOG_FIELD, REDACTED, UNREADABLE } from './fields';
import { plainError, Redactor, type RedactOptions } from './redaction';
import { activeTraceFields } from './trace-context';

type Info = Logform.TransformableInfo;

/** triple-beam's symbols (winston's own dependency): the level transports filter on, and the formatted line. */
const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

/** Fields a failed redaction may still write: Modelwatch sets them and they hold no secrets. */
const SAFE_FIELDS = [LOG_FIELD.timestamp, LOG_FIELD.service, LOG_FIELD.traceId, LOG_FIELD.spanId, LOG_FIELD.traceFlags] as const;

/**
 * Adds `trace_id`, `span_id` and `trace_flags` of the active OpenTelemetry span
 * to each entry that has no `trace_id` yet. Usable on any winston logger:
 * `format.combine(traceContext(), format.json())`. The entry is copied, never
 * mutated (winston hands formats the caller's own object for `logger.info(obj)`).
 */
export function traceContext(): Logform.Format {
  return format(
    guarded('traceContext', (info) => {
      if (info[LOG_FIELD.traceId] !== undefined) return info;
      const fields = activeTraceFields();
      return fields === undefined ? info : Object.assign(copyEntry(info), fields);
    }),
  )();
}

/**
 * Masks secrets in every string of the entry (message, meta, nested objects and
 * arrays, errors' messages and stacks) and whole fields by name, and bounds the
 * entry's size. Put it right before `format.json()`. What it changes is copied:
 * the caller's objects are never mutated.
 */
export function redact(options?: RedactOptions): Logform.Format {
  const redactor = new Redactor(options);
  return format((info) => redactEntry(redactor, info))();
}

/** The masked entry; a failure yields a minimal entry with `log_error`, never the unmasked one. */
export function redactEntry(redactor: Redactor, info: Info): Info {
  try {
    const source = info instanceof Error ? copyEntry(info) : info;
    let out = redactor.fields(source) as Info;
    if (out !== source) copySymbols(info, out);
    // The formatted line, when a format such as json() or printf() already ran.
    const line = info[MESSAGE];
    if (typeof line === 'string') {
      const masked = redactor.string(line, false);
      if (masked !== line) {
        if (out === info) out = copyEntry(info);
        out[MESSAGE] = masked;
      }
    }
    return out;
  } catch (error) {
    return failedRedaction(redactor, info, error);
  }
}

function failedRedaction(redactor: Redactor, info: Info, error: unknown): Info {
  const level = safeRead(info, 'level');
  const out: Info = { level: typeof level === 'string' ? level : 'error', message: REDACTED };
  out[LEVEL] = safeRead(info, LEVEL) ?? out.level;
  const message = safeRead(info, 'message');
  if (typeof message === 'string') out.message = redactor.string(message);
  for (const field of SAFE_FIELDS) {
    const value = safeRead(info, field);
    if (typeof value === 'string') out[field] = redactor.string(value);
  }
  out[LOG_FIELD.logError] = redactor.string(`redact: ${describe(error)}`);
  return out;
}

/**
 * The first format of `createLogger`: copies the entry (an Error's message and
 * stack included), then adds the ISO-8601 `timestamp`, `service` (unless the
 * entry has one) and the active span's ids (unless it has a `trace_id`).
 */
export function entryFormat(service: string | undefined): Logform.Format {
  return format(
    guarded('entry', (info) => {
      const fields: Record<string, unknown> = info instanceof Error ? plainError(info, false) : info;
      // Spread (not Object.assign) so a `__proto__` field stays a field; the first keys fix the order of the line.
      let out: Info = { [LOG_FIELD.timestamp]: '', level: info.level, message: fields.message, ...(service === undefined ? {} : { [LOG_FIELD.service]: service }), ...fields };
      copySymbols(info, out);
      out[LOG_FIELD.timestamp] = new Date().toISOString();
      if (out.message instanceof Error) {
        // logger.log({ level, message: error }): what format.errors({ stack: true }) does, on our copy.
        out = { ...out, ...plainError(out.message, false) };
      }
      if (out[LOG_FIELD.traceId] === undefined) {
        const trace = activeTraceFields();
        if (trace !== undefined) Object.assign(out, trace);
      }
      return out;
    }),
  )();
}

/**
 * `format.json()` that never throws: an entry it cannot serialise (a getter that
 * throws only on a second read, say) is written as a minimal line with `log_error`.
 */
export function jsonLine(): Logform.Format {
  const json = format.json({ deterministic: false });
  return format((info) => {
    try {
      return json.transform(info, json.options);
    } catch (error) {
      const level = safeRead(info, 'level');
      const timestamp = safeRead(info, LOG_FIELD.timestamp);
      info[MESSAGE] = JSON.stringify({
        [LOG_FIELD.timestamp]: typeof timestamp === 'string' ? timestamp : undefined,
        level: typeof level === 'string' ? level : 'error',
        message: UNREADABLE,
        [LOG_FIELD.logError]: `json: ${describe(error)}`,
      });
      return info;
    }
  })();
}

/** Runs a transform; if it throws, the entry goes on (copied) with `log_error` instead of the error reaching the app. */
function guarded(name: string, transform: (info: Info) => Info): (info: Info) => Info {
  return (info) => {
    try {
      return transform(info);
    } catch (error) {
      let out: Info;
      try {
        out = copyEntry(info);
      } catch {
        const level = safeRead(info, 'level');
        out = { level: typeof level === 'string' ? level : 'error', message: UNREADABLE };
        out[LEVEL] = safeRead(info, LEVEL) ?? out.level;
      }
      out[LOG_FIELD.logError] = `${name}: ${describe(error)}`;
      return out;
    }
  };
}

/** A shallow copy that keeps the symbol-keyed fields winston needs; an Error's message and stack become fields. */
export function copyEntry(info: Info): Info {
  const out = (info instanceof Error ? plainError(info, false) : { ...info }) as Info;
  copySymbols(info, out);
  return out;
}

function copySymbols(from: Info, to: Info): void {
  for (const symbol of Object.getOwnPropertySymbols(from)) to[symbol] = from[symbol];
}

function safeRead(info: Info, key: string | symbol): unknown {
  try {
    return info[key];
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
