/**
 * `@modelwatch/exporter/failover`: the action layer. An Alertmanager webhook
 * receiver that moves a model's calls to its fallback while an alert on the
 * model fires, and back after a hold-down once it resolves.
 *
 * ```ts
 * const failover = createFailover(mw, { token, routes: [{ provider: 'openai', model: 'gpt-4o', fallback: { provider: 'anthropic', model: 'claude-sonnet-4-6' } }], logger });
 * app.post('/hooks/alertmanager', failover.handler);
 * const target = failover.route({ provider: 'openai', model: 'gpt-4o' }); // where this call goes
 * ```
 */
import type { Modelwatch } from '../modelwatch';
import { Failover, type FailoverOptions } from './failover';

export { Failover, type FailoverLogger, type FailoverOptions, type WebhookResult } from './failover';
export type { CircuitView, FailoverRoute, ModelRef, RouteDecision } from './circuit-board';
export type { WebhookHandler } from './webhook-handler';

/** A failover receiver recording into `mw`'s metrics. Throws on invalid options. */
export function createFailover(mw: Modelwatch, options: FailoverOptions): Failover {
  return new Failover(mw, options);
}
