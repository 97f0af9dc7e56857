import { randomUUID } from 'node:crypto';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { FaultKind, FaultSpec } from './kinds';

/** A running fault's effect: undone by `stop()`; `status()` reports progress (e.g. megabytes retained). */
export interface FaultEffect {
  stop(): void;
  status?(): Record<string, unknown>;
}

/** Starts the effect of one kind of fault. Throws {@link FaultUnavailableError} when this service cannot produce it. */
export type FaultStarter = (spec: FaultSpec) => FaultEffect | Promise<FaultEffect>;

/** The kind cannot be injected in this setup (e.g. provider latency against an external provider); the admin API answers 409. */
export class FaultUnavailableError extends Error {
  override name = 'FaultUnavailableError';
}

/** A fault in force, as the admin API shows it. */
export interface ActiveFault extends FaultSpec {
  id: string;
  startedAt: string;
  endsAt: string;
  status?: Record<string, unknown>;
}

export type FaultEvent = { type: 'injected' | 'healed'; fault: ActiveFault; reason?: 'expired' | 'healed' | 'cleared' };

interface Entry {
  fault: ActiveFault;
  effect: FaultEffect;
  timer: NodeJS.Timeout;
}

/**
 * The faults in force. Every fault heals by itself when its duration ends (the
 * timer is unref'd, so a fault never keeps the process alive), or earlier with
 * `heal(id)`; `clear()` heals them all (on shutdown).
 */
export class FaultRegistry {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(
    private readonly starters: Readonly<Record<FaultKind, FaultStarter>>,
    private readonly onEvent: (event: FaultEvent) => void = () => undefined,
  ) {}

  async inject(spec: FaultSpec): Promise<ActiveFault> {
    if (this.closed) throw new FaultUnavailableError('The service is shutting down');
    const effect = await this.starters[spec.kind](spec);
    const now = Date.now();
    const fault: ActiveFault = {
      id: randomUUID().slice(0, 8),
      ...spec,
      startedAt: new Date(now).toISOString(),
      endsAt: new Date(now + spec.durationSeconds * 1000).toISOString(),
    };
    // Outside the injecting request's trace: the expiry is not part of it.
    const timer = context.with(ROOT_CONTEXT, () => setTimeout(() => this.remove(fault.id, 'expired'), spec.durationSeconds * 1000));
    timer.unref();
    this.entries.set(fault.id, { fault, effect, timer });
    this.onEvent({ type: 'injected', fault });
    return fault;
  }

  /** Faults in force, oldest first, with their effect's status. */
  list(): ActiveFault[] {
    return [...this.entries.values()].map(({ fault, effect }) => (effect.status ? { ...fault, status: effect.status() } : fault));
  }

  /** Ends one fault now; false when no such fault is in force. */
  heal(id: string): boolean {
    return this.remove(id, 'healed');
  }

  /** Heals every fault and refuses new ones: on shutdown. */
  close(): void {
    this.closed = true;
    this.clear();
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.remove(id, 'cleared');
  }

  private remove(id: string, reason: 'expired' | 'healed' | 'cleared'): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    entry.effect.stop();
    this.onEvent({ type: 'healed', fault: entry.fault, reason });
    return true;
  }
}
