import { AsyncLocalStorage } from 'node:async_hooks';

/** Who and what AI calls are made for. Both are optional; what a scope leaves out, an enclosing scope gives. */
export interface Attribution {
  /** A user, team or customer id. Hashed in metrics and logs with `attribution: { hashTenants: true }`. */
  tenant?: string;
  /** What the calls serve in the app: `support-bot`, `summariser`. */
  feature?: string;
}

/** An attribution, or a function giving it when the first AI call of the scope asks (the middleware's, from the request). */
export type AttributionSource = Attribution | (() => Attribution | undefined);

/** One `attribute()` call: its source, resolved once, over its parent's. */
interface Frame {
  readonly parent: Frame | undefined;
  source: AttributionSource | undefined;
  resolved: Attribution | undefined;
}

/**
 * The attribution scopes of one Modelwatch instance, carried through async code by
 * AsyncLocalStorage. A scope's source is resolved at its first AI call, not when it
 * opens, so a request that calls no model never runs the app's tenant function.
 */
export class AttributionScope {
  private readonly storage = new AsyncLocalStorage<Frame>();
  /** No scope was ever opened: calls skip the storage lookup. */
  private unused = true;

  constructor(
    /** Counts a tenant function that threw, or a tenant or feature that is not a string. */
    private readonly reportInvalid: () => void,
  ) {}

  /** Runs `fn` inside a scope; returns what it returns. Nested scopes override the fields they set. */
  run<T>(source: AttributionSource, fn: () => T): T {
    this.unused = false;
    return this.storage.run({ parent: this.storage.getStore(), source, resolved: undefined }, fn);
  }

  /** The attribution of the code running now; undefined outside any scope. */
  current(): Attribution | undefined {
    if (this.unused) return undefined;
    const frame = this.storage.getStore();
    return frame === undefined ? undefined : this.resolve(frame);
  }

  private resolve(frame: Frame): Attribution {
    if (frame.resolved !== undefined) return frame.resolved;
    const own = this.read(frame.source);
    // The source is not kept once read: a closure over the request must not outlive it in a long-lived scope.
    frame.source = undefined;
    const parent = frame.parent === undefined ? undefined : this.resolve(frame.parent);
    const resolved: Attribution = {};
    const tenant = own?.tenant ?? parent?.tenant;
    const feature = own?.feature ?? parent?.feature;
    if (tenant !== undefined) resolved.tenant = tenant;
    if (feature !== undefined) resolved.feature = feature;
    return (frame.resolved = resolved);
  }

  /** The source's tenant and feature, each kept only when it is a non-empty string. Never throws. */
  private read(source: AttributionSource | undefined): Attribution | undefined {
    let value: unknown;
    try {
      value = typeof source === 'function' ? source() : source;
    } catch {
      this.reportInvalid();
      return undefined;
    }
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object') {
      this.reportInvalid();
      return undefined;
    }
    return readAttribution(value as Record<string, unknown>, this.reportInvalid);
  }
}

/** `tenant` and `feature` of an object the app passed: strings kept, anything else but undefined counted and dropped. */
export function readAttribution(value: { tenant?: unknown; feature?: unknown }, reportInvalid: () => void): Attribution {
  const attribution: Attribution = {};
  let tenant: unknown;
  let feature: unknown;
  try {
    tenant = value.tenant;
    feature = value.feature;
  } catch {
    reportInvalid();
    return attribution;
  }
  if (typeof tenant === 'string') {
    if (tenant !== '') attribution.tenant = tenant;
  } else if (tenant !== undefined && tenant !== null) reportInvalid();
  if (typeof feature === 'string') {
    if (feature !== '') attribution.feature = feature;
  } else if (feature !== undefined && feature !== null) reportInvalid();
  return attribution;
}
