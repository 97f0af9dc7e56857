import { CIRCUIT_STATE, FAILOVER_ALERTS, INSTRUMENTATION_ERROR_REASON, LABEL, SERVICE_LABEL } from '@modelwatch/conventions';
import type { Modelwatch } from '../modelwatch';
import { authorizationCheck } from '../server/auth';
import { AlertLedger } from './alert-ledger';
import { parseAlertmanagerPayload } from './alertmanager-payload';
import { webhookHandler, type WebhookHandler } from './webhook-handler';
import { CircuitBoard, type CircuitChange, type CircuitView, type FailoverRoute, type ModelRef, type RouteDecision } from './circuit-board';

/** What the receiver logs with: a winston logger (e.g. `createLogger()` of `@modelwatch/exporter/winston`) fits. */
export interface FailoverLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface FailoverOptions {
  /** The bearer token Alertmanager sends (`http_config.authorization.credentials_file`). */
  token: string;
  /** Every model of the router with its fallback. */
  routes: readonly FailoverRoute[];
  /** How long a model whose alert resolved stays on its fallback. @defaultValue 300000 (5 min) */
  holdDownMs?: number;
  /** While failed over, one call per interval still tries the model. @defaultValue 10000 */
  trialIntervalMs?: number;
  /** The alerts that move a model's calls. @defaultValue FAILOVER_ALERTS of the conventions */
  alerts?: readonly string[];
  /** Only alerts about this Prometheus `job` (the app's own calls); unset: any job. */
  job?: string;
  logger?: FailoverLogger;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** What the webhook answers. */
export interface WebhookResult {
  status: 200 | 400 | 401;
  body: { applied: number; repeated: number; ignored: number; unknownModels: number } | { error: string };
}

/** The summary a route answers with. */
type Counts = { applied: number; repeated: number; ignored: number; unknownModels: number };

const DEFAULTS = { holdDownMs: 300_000, trialIntervalMs: 10_000 } as const;

/**
 * The action layer: Alertmanager's notifications about a model (see {@link FailoverOptions.alerts}) open its circuit
 * and move its calls to its fallback; their resolve fails back after a hold-down. The router asks `route()` where
 * each call goes. Every change is in `modelwatch_failover_active` and `modelwatch_circuit_state` and in the log.
 */
export class Failover {
  /** The webhook as a node:http listener and Express handler (`app.post('/hooks/alertmanager', failover.handler)`). */
  readonly handler: WebhookHandler = webhookHandler(this);
  private readonly board: CircuitBoard;
  private readonly ledger = new AlertLedger();
  private readonly authorized: (header: string | undefined) => boolean;
  private readonly alerts: ReadonlySet<string>;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly mw: Modelwatch,
    private readonly options: FailoverOptions,
  ) {
    if (typeof options.token !== 'string' || options.token.length < 16) throw new RangeError('Failover: token must be a string of at least 16 characters');
    const holdDownMs = options.holdDownMs ?? DEFAULTS.holdDownMs;
    const trialIntervalMs = options.trialIntervalMs ?? DEFAULTS.trialIntervalMs;
    if (!(holdDownMs >= 0) || !(trialIntervalMs > 0)) throw new RangeError('Failover: holdDownMs must be ≥ 0 and trialIntervalMs > 0');
    this.authorized = authorizationCheck({ bearerToken: options.token });
    this.alerts = new Set(options.alerts ?? FAILOVER_ALERTS);
    this.board = new CircuitBoard(options.routes, { holdDownMs, trialIntervalMs, now: options.now ?? Date.now, onChange: (change) => this.changed(change) });
    for (const circuit of this.board.views()) this.publish(circuit);
    // Fails back on time with no call to trigger it, so the gauges and the log are current; never keeps the process up.
    this.timer = setInterval(() => this.board.refresh(), Math.min(1000, Math.max(50, holdDownMs / 4)));
    this.timer.unref();
  }

  /** Where the next call for this model goes. */
  route(ref: ModelRef): RouteDecision {
    return this.board.route(ref);
  }

  /** The model's circuit is not closed: do not use it as a per-call fallback either. */
  isOpen(ref: ModelRef): boolean {
    return this.board.isOpen(ref);
  }

  circuits(): CircuitView[] {
    return this.board.views();
  }

  /** Handles one webhook call, whatever the framework: the Authorization header and the parsed JSON body. */
  receive(authorization: string | undefined, body: unknown): WebhookResult {
    return this.checkToken(authorization) ?? this.apply(body);
  }

  /** The 401 answer when the header does not carry the token (counted and logged), else undefined. */
  checkToken(authorization: string | undefined): WebhookResult | undefined {
    if (this.authorized(authorization)) return undefined;
    this.refused('wrong or missing token', 401);
    return { status: 401, body: { error: 'missing or wrong bearer token' } };
  }

  /** Applies an authenticated notification: 400 and nothing applied unless all of it is Alertmanager's payload. */
  apply(body: unknown): WebhookResult {
    const payload = parseAlertmanagerPayload(body);
    if (!payload.ok) {
      this.refused(payload.error, 400);
      return { status: 400, body: { error: `not an Alertmanager webhook payload: ${payload.error}` } };
    }
    const counts: Counts = { applied: 0, repeated: 0, ignored: 0, unknownModels: 0 };
    for (const alert of payload.alerts) {
      const { alertname = '', [LABEL.genAiProviderName]: provider, [LABEL.genAiRequestModel]: model } = alert.labels;
      if (!this.alerts.has(alertname) || (this.options.job !== undefined && alert.labels[SERVICE_LABEL] !== this.options.job) || !provider || !model) {
        counts.ignored++;
      } else if (!this.ledger.admit(alert)) {
        counts.repeated++;
      } else if (!this.board.knows({ provider, model })) {
        counts.unknownModels++;
        this.mw.instruments.reportError(INSTRUMENTATION_ERROR_REASON.unknownFailoverModel);
        this.options.logger?.warn('failover alert for a model the router does not know: ignored', { alertname, provider, model, status: alert.status });
      } else {
        counts.applied++;
        if (alert.status === 'firing') this.board.fire({ provider, model }, alert.fingerprint);
        else this.board.resolve({ provider, model }, alert.fingerprint);
      }
    }
    return { status: 200, body: counts };
  }

  /** Stops the fail-back timer. */
  close(): void {
    clearInterval(this.timer);
  }

  private refused(reason: string, status: number): void {
    this.mw.instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidFailoverWebhook);
    this.options.logger?.warn('failover webhook refused', { status, reason });
  }

  private changed({ kind, circuit }: CircuitChange): void {
    this.publish(circuit);
    const meta = {
      provider: circuit.provider,
      model: circuit.model,
      fallback_provider: circuit.fallback?.provider,
      fallback_model: circuit.fallback?.model,
      circuit_state: circuit.state,
      firing_alerts: circuit.firingAlerts,
      ...(circuit.failBackAt === undefined ? {} : { fail_back_at: new Date(circuit.failBackAt).toISOString() }),
    };
    const log = this.options.logger;
    if (kind === 'staying') log?.warn('failover: the fallback is down too (or there is none): calls stay on the model', meta);
    else log?.info(MESSAGE[kind], meta);
  }

  private publish(circuit: CircuitView): void {
    const { failoverActive, circuitState } = this.mw.instruments;
    failoverActive.set(failoverActive.series([circuit.provider, circuit.model]), circuit.failedOver ? 1 : 0);
    for (const state of Object.values(CIRCUIT_STATE)) circuitState.set(circuitState.series([circuit.provider, circuit.model, state]), circuit.state === state ? 1 : 0);
  }
}

const MESSAGE: Record<Exclude<CircuitChange['kind'], 'staying'>, string> = {
  failed_over: 'failover: circuit open, calls go to the fallback',
  holding_down: 'failover: alert resolved, failing back after the hold-down',
  failed_back: 'failover: circuit closed, calls go back to the model',
  closed: 'failover: alert resolved, circuit closed',
};
