import type { FailoverRoute } from '@modelwatch/exporter/failover';
import { CHAT_MODELS, failoverTwin } from './models';

/**
 * The alert-driven failover's routes: each model the router picks falls back to
 * its twin (the same tier at the other provider), as a failed call already does.
 * The in-house model has no twin: an alert on it is one for a model the
 * failover does not know.
 */
export const FAILOVER_ROUTES: readonly FailoverRoute[] = CHAT_MODELS.flatMap((model) => {
  const twin = model.explicitOnly ? undefined : failoverTwin(model);
  return twin ? [{ provider: model.provider, model: model.name, fallback: { provider: twin.provider, model: twin.name } }] : [];
});
