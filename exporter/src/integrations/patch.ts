import type { AiCallAttributes, AiRequestAttributes, DeferredAiCallAttributes } from '../ai/ai-recorder';
import type { AiCallHandle } from '../ai/call-types';
import { INSTRUMENTATION_ERROR_REASON } from '@modelwatch/conventions';
import type { Modelwatch } from '../modelwatch';
import { WARNING_CODE } from '../warnings/warnings';

/** Marks what Modelwatch instrumented. A registered symbol, so two copies of the package (CJS and ESM) agree. */
const INSTRUMENTED = Symbol.for('modelwatch.instrumented');

/**
 * True the first time it is called for `client`, false afterwards: instrumenting
 * the same client twice is a no-op, which `mw` reports once as a warning (the
 * second call's instance or options are not used). The mark is a non-enumerable
 * own property.
 */
export function claim(client: object, mw: Modelwatch, integration: string): boolean {
  if (!Object.prototype.hasOwnProperty.call(client, INSTRUMENTED)) {
    Object.defineProperty(client, INSTRUMENTED, { value: true, configurable: true });
    PATCHES.set(client, []);
    return true;
  }
  mw.warnings.once(
    WARNING_CODE.clientInstrumentedTwice,
    `${integration}() was called on a client it had already instrumented; this call changed nothing, and the client's calls ` +
      'are still recorded once, by the first instance with the first options. Instrument each client once, where it is created.',
  );
  return false;
}

export type Method = (this: unknown, ...args: unknown[]) => unknown;

/** How to take each claimed client's patches back off, newest last. */
const PATCHES = new WeakMap<object, Array<() => void>>();

/**
 * Replaces the method `name` of this one object (`client` or one of its
 * resources) with `wrap(original)`: an own property shadowing the prototype's
 * method, so other instances of the class (other clients) are untouched. Does
 * nothing when there is no such method. {@link uninstrument} undoes it.
 */
export function wrapMethod(client: object, target: unknown, name: string, wrap: (original: Method) => Method): void {
  if (typeof target !== 'object' || target === null) return;
  const original: unknown = Reflect.get(target, name);
  if (typeof original !== 'function') return;
  const previous = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { value: wrap(original as Method), writable: true, configurable: true, enumerable: false });
  PATCHES.get(client)?.push(() => {
    if (previous) Object.defineProperty(target, name, previous);
    else Reflect.deleteProperty(target, name);
  });
}

/**
 * Takes Modelwatch off a client that `instrumentOpenAI`, `instrumentAnthropic` or
 * `instrumentGoogleGenAI` instrumented: its methods are the SDK's own again, and it may be instrumented
 * anew (by another instance, with other options). Calls already under way are
 * still recorded; clients made since with `withOptions()` keep their own
 * instrumentation. Returns false when the client was not instrumented.
 */
export function uninstrument(client: object): boolean {
  const patches = PATCHES.get(client);
  if (!patches) return false;
  for (const undo of patches.reverse()) undo();
  PATCHES.delete(client);
  Reflect.deleteProperty(client, INSTRUMENTED);
  return true;
}

/**
 * Starts an SDK call. Its span, if one records, reads the request parameters with
 * `readRequestAttributes` as the call starts, not every call; the reader is dropped
 * then, so the call never keeps the request body (and the prompt in it) alive.
 */
export function startSdkCall(mw: Modelwatch, attributes: AiCallAttributes, readRequestAttributes: (() => AiRequestAttributes | undefined) | undefined): AiCallHandle {
  const deferred: DeferredAiCallAttributes = attributes;
  deferred.readRequestAttributes = readRequestAttributes;
  try {
    return mw.startAiCall(deferred);
  } finally {
    deferred.readRequestAttributes = undefined;
  }
}

/** Counts a failure inside Modelwatch (`modelwatch_instrumentation_errors_total{reason="internal"}`); never throws. */
export function reportInternalError(mw: Modelwatch): void {
  try {
    mw.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
  } catch {
    // Nothing left to report to.
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
