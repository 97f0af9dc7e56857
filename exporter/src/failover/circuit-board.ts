import { CIRCUIT_STATE, type CircuitState } from '@modelwatch/conventions';

/** A model as the alerts name it: `gen_ai_provider_name` and `gen_ai_request_model`. */
export interface ModelRef {
  readonly provider: string;
  readonly model: string;
}

/** A model of the app's router and where its calls go while an alert on it fires. */
export interface FailoverRoute extends ModelRef {
  readonly fallback: ModelRef;
}

/** Where one call goes. */
export interface RouteDecision extends ModelRef {
  /** The call goes to the fallback because the model's circuit is open (or half open). */
  readonly failedOver: boolean;
  /** A trial call to a model whose circuit is not closed: the caller should retry it on the fallback if it fails. */
  readonly trial: boolean;
}

export interface CircuitView extends ModelRef {
  readonly state: CircuitState;
  /** Its calls go to `fallback`. */
  readonly failedOver: boolean;
  readonly fallback: ModelRef | undefined;
  /** Alerts on the model firing now. */
  readonly firingAlerts: number;
  /** Half open: when the calls go back to the model, in ms since the epoch. */
  readonly failBackAt: number | undefined;
}

/** What changed, for the log and the gauges. */
export type CircuitChange =
  | { kind: 'failed_over'; circuit: CircuitView }
  /** The model's alert fires but its fallback's fires too (or it has none): the calls stay where they are and the alert pages. */
  | { kind: 'staying'; circuit: CircuitView }
  /** The alert resolved: the calls go back once the hold-down is over, unless it fires again. */
  | { kind: 'holding_down'; circuit: CircuitView }
  | { kind: 'failed_back'; circuit: CircuitView }
  /** The alert resolved on a model that never left: closed again, nothing to fail back. */
  | { kind: 'closed'; circuit: CircuitView };

export interface CircuitBoardOptions {
  /** How long a resolved model stays on its fallback, so an alert that flaps does not move the calls back and forth. */
  holdDownMs: number;
  /** While failed over, one call per interval still goes to the model, so its alert can see it heal (and resolve). */
  trialIntervalMs: number;
  now: () => number;
  onChange: (change: CircuitChange) => void;
}

interface Circuit {
  readonly ref: ModelRef;
  readonly fallback: ModelRef | undefined;
  state: CircuitState;
  readonly firing: Set<string>;
  failedOver: boolean;
  failBackAt: number | undefined;
  nextTrialAt: number;
}

export const modelKey = (ref: ModelRef): string => `${ref.provider}\u0000${ref.model}`;

/**
 * The circuits of the router's models, driven by alerts. `closed` → an alert fires → `open`: the calls go to the
 * fallback (one trial call per interval still to the model) unless the fallback's own circuit is not closed, in
 * which case they stay (no ping-pong between two failing models: the alerts page instead) and move once the
 * fallback is closed again. Every alert on the model resolved → `half_open` for the hold-down, still on the
 * fallback; a new alert then reopens it, and the end of the hold-down closes it and fails back.
 * Time is read from `now`, never waited for: the caller drives `refresh()`.
 */
export class CircuitBoard {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    routes: readonly FailoverRoute[],
    private readonly options: CircuitBoardOptions,
  ) {
    for (const route of routes) {
      const key = modelKey(route);
      if (this.circuits.get(key)?.fallback) throw new RangeError(`Failover: ${route.provider}/${route.model} is listed twice`);
      if (modelKey(route.fallback) === key) throw new RangeError(`Failover: ${route.provider}/${route.model} falls back to itself`);
      this.circuits.set(key, this.newCircuit(route, route.fallback));
    }
    // A fallback that has no fallback of its own still has a circuit: its alert must stop others from moving to it.
    for (const route of routes) if (!this.circuits.has(modelKey(route.fallback))) this.circuits.set(modelKey(route.fallback), this.newCircuit(route.fallback, undefined));
  }

  knows(ref: ModelRef): boolean {
    return this.circuits.has(modelKey(ref));
  }

  /** An alert on the model fires (`alertId`: its fingerprint). */
  fire(ref: ModelRef, alertId: string): void {
    const circuit = this.circuits.get(modelKey(ref));
    if (!circuit) return;
    circuit.firing.add(alertId);
    if (circuit.state === CIRCUIT_STATE.open) return;
    const wasHalfOpen = circuit.state === CIRCUIT_STATE.halfOpen;
    circuit.state = CIRCUIT_STATE.open;
    circuit.failBackAt = undefined;
    if (wasHalfOpen && circuit.failedOver) return this.emit('failed_over', circuit);
    if (this.failOver(circuit)) return;
    this.emit('staying', circuit);
  }

  /** An alert on the model resolved. */
  resolve(ref: ModelRef, alertId: string): void {
    const circuit = this.circuits.get(modelKey(ref));
    if (!circuit || !circuit.firing.delete(alertId) || circuit.firing.size > 0 || circuit.state !== CIRCUIT_STATE.open) return;
    if (circuit.failedOver) {
      circuit.state = CIRCUIT_STATE.halfOpen;
      circuit.failBackAt = this.options.now() + this.options.holdDownMs;
      this.emit('holding_down', circuit);
    } else {
      circuit.state = CIRCUIT_STATE.closed;
      this.emit('closed', circuit);
    }
    this.retryWaiting();
  }

  /** Fails back the models whose hold-down is over, then moves those that waited for their fallback to close. */
  refresh(): void {
    const now = this.options.now();
    let closed = false;
    for (const circuit of this.circuits.values()) {
      if (circuit.state !== CIRCUIT_STATE.halfOpen || now < circuit.failBackAt!) continue;
      circuit.state = CIRCUIT_STATE.closed;
      circuit.failedOver = false;
      circuit.failBackAt = undefined;
      closed = true;
      this.emit('failed_back', circuit);
    }
    if (closed) this.retryWaiting();
  }

  /** Where the next call for `ref` goes. Models the board does not know go where they were asked to. */
  route(ref: ModelRef): RouteDecision {
    this.refresh();
    const circuit = this.circuits.get(modelKey(ref));
    if (!circuit?.failedOver) return { provider: ref.provider, model: ref.model, failedOver: false, trial: false };
    const now = this.options.now();
    if (now >= circuit.nextTrialAt) {
      circuit.nextTrialAt = now + this.options.trialIntervalMs;
      return { provider: ref.provider, model: ref.model, failedOver: false, trial: true };
    }
    return { ...circuit.fallback!, failedOver: true, trial: false };
  }

  /** The model's circuit is not closed: do not send it calls that another model could take. */
  isOpen(ref: ModelRef): boolean {
    this.refresh();
    const state = this.circuits.get(modelKey(ref))?.state;
    return state !== undefined && state !== CIRCUIT_STATE.closed;
  }

  views(): CircuitView[] {
    this.refresh();
    return [...this.circuits.values()].map(view);
  }

  private failOver(circuit: Circuit): boolean {
    const fallback = circuit.fallback && this.circuits.get(modelKey(circuit.fallback));
    if (!fallback || fallback.state !== CIRCUIT_STATE.closed) return false;
    circuit.failedOver = true;
    circuit.nextTrialAt = this.options.now() + this.options.trialIntervalMs;
    this.emit('failed_over', circuit);
    return true;
  }

  /** Open circuits that stayed on their model because their fallback was down try again. */
  private retryWaiting(): void {
    for (const circuit of this.circuits.values()) if (circuit.state === CIRCUIT_STATE.open && !circuit.failedOver) this.failOver(circuit);
  }

  private emit(kind: CircuitChange['kind'], circuit: Circuit): void {
    this.options.onChange({ kind, circuit: view(circuit) });
  }

  private newCircuit(ref: ModelRef, fallback: ModelRef | undefined): Circuit {
    return { ref: { provider: ref.provider, model: ref.model }, fallback: fallback && { provider: fallback.provider, model: fallback.model }, state: CIRCUIT_STATE.closed, firing: new Set(), failedOver: false, failBackAt: undefined, nextTrialAt: 0 };
  }
}

function view(circuit: Circuit): CircuitView {
  return { ...circuit.ref, state: circuit.state, failedOver: circuit.failedOver, fallback: circuit.fallback, firingAlerts: circuit.firing.size, failBackAt: circuit.failBackAt };
}
