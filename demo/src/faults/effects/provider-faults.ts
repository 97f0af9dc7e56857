import { findChatModel, modelFor } from '../../ai/models';
import type { FaultSpec } from '../kinds';
import { FaultUnavailableError, type FaultStarter } from '../registry';

/** A fault in the fake providers' own terms (a subset of `@modelwatch/fake-providers`' `Fault`). */
export interface ProviderFault {
  kind: 'server_error' | 'rate_limit' | 'latency' | 'rate_limit_drain' | 'model_substitution';
  provider?: 'openai' | 'anthropic';
  model?: string;
  probability?: number;
  extraLatencyMs?: number;
  retryAfterSeconds?: number;
  durationMs?: number;
  /** rate_limit_drain */
  inputTokensPerMinute?: number;
  /** model_substitution */
  servedModel?: string;
}

/**
 * Where provider faults go: the embedded fake providers' `faults` controller,
 * or {@link httpProviderFaults} for fakes running in another process.
 */
export interface ProviderFaultControl {
  inject(fault: ProviderFault): { clear(): void } | Promise<{ clear(): void }>;
}

/**
 * Starters of the provider faults, translated to the fake providers' fault
 * kinds. The fake is also told the duration, so it heals even if this service dies first.
 */
export function providerFaultStarters(
  control: ProviderFaultControl,
): Record<'provider_outage' | 'latency_spike' | 'rate_limit_storm' | 'rate_limit_drain' | 'model_substitution', FaultStarter> {
  const start =
    (toFault: (spec: FaultSpec) => ProviderFault): FaultStarter =>
    async (spec) => {
      const handle = await control.inject({ ...toFault(spec), ...scope(spec), durationMs: Math.round(spec.durationSeconds * 1000) });
      return { stop: () => handle.clear() };
    };
  return {
    provider_outage: start((spec) => ({ kind: 'server_error', probability: spec.params.probability })),
    rate_limit_storm: start((spec) => ({ kind: 'rate_limit', probability: spec.params.probability, retryAfterSeconds: 1 })),
    latency_spike: start((spec) => ({ kind: 'latency', probability: spec.params.probability, extraLatencyMs: spec.params.latencyMs })),
    rate_limit_drain: start((spec) => ({ kind: 'rate_limit_drain', inputTokensPerMinute: spec.params.tokensPerMinute })),
    model_substitution: start((spec) => ({ kind: 'model_substitution', probability: spec.params.probability, servedModel: substituteOf(spec.target.model) })),
  };
}

/**
 * The model that answers for `model` in a substitution: its provider's model of the other tier, as a
 * provider that downgrades under load (or a router) would. The target is checked to be a chat model first.
 */
export function substituteOf(model: string | undefined): string {
  const chat = model === undefined ? undefined : findChatModel(model);
  if (!chat || chat.explicitOnly) throw new Error(`model_substitution needs a chat model target, got ${JSON.stringify(model)}`);
  return modelFor(chat.tier === 'fast' ? 'premium' : 'fast', chat.provider).name;
}

function scope(spec: FaultSpec): Pick<ProviderFault, 'provider' | 'model'> {
  const { provider, model } = spec.target;
  const scoped: Pick<ProviderFault, 'provider' | 'model'> = {};
  if (provider === 'openai' || provider === 'anthropic') scoped.provider = provider;
  if (model !== undefined) scoped.model = model;
  return scoped;
}

/** The fake providers' control routes (`@modelwatch/fake-providers` serves them next to the APIs). */
const FAKE_FAULTS_PATH = '/_fake/faults';

/**
 * Provider faults for fake providers the service did not start (`OPENAI_BASE_URL`
 * / `ANTHROPIC_BASE_URL` set): posted to each fake's control API with its bearer
 * token (`FAKE_CONTROL_TOKEN`). A provider without one (a real API, or a fake
 * started without a token) makes the fault unavailable (409), never silently ignored.
 */
export function httpProviderFaults(baseUrls: Readonly<Record<'openai' | 'anthropic', string>>, controlToken: string | undefined): ProviderFaultControl {
  const authorization: Record<string, string> = controlToken ? { authorization: `Bearer ${controlToken}` } : {};
  return {
    async inject(fault) {
      const providers = fault.provider ? [fault.provider] : (['openai', 'anthropic'] as const);
      const origins = [...new Set(providers.map((provider) => new URL(baseUrls[provider]).origin))];
      const created: { origin: string; id: string }[] = [];
      const clearAll = () => {
        for (const { origin, id } of created) void fetch(`${origin}${FAKE_FAULTS_PATH}/${id}`, { method: 'DELETE', headers: authorization, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      };
      for (const origin of origins) {
        let response: Response;
        try {
          response = await fetch(`${origin}${FAKE_FAULTS_PATH}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...authorization },
            body: JSON.stringify(fault),
            signal: AbortSignal.timeout(5000),
          });
        } catch (error) {
          clearAll();
          throw new FaultUnavailableError(`Provider faults need the fake providers' control API; ${origin}${FAKE_FAULTS_PATH} is unreachable (${(error as Error).message})`);
        }
        if (response.status !== 201) {
          clearAll();
          throw new FaultUnavailableError(`Provider faults need the fake providers' control API; ${origin}${FAKE_FAULTS_PATH} answered ${response.status}`);
        }
        created.push({ origin, id: ((await response.json()) as { id: string }).id });
      }
      return { clear: clearAll };
    },
  };
}
