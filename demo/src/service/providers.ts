import Anthropic from '@anthropic-ai/sdk';
import { instrumentAnthropic, instrumentOpenAI, type Modelwatch } from '@modelwatch/exporter';
import { startFakeProviders, type FakeProviders } from '@modelwatch/fake-providers';
import OpenAI from 'openai';
import { anthropicBackend } from '../ai/anthropic-backend';
import type { ChatBackend } from '../ai/chat-backend';
import { providerOfModel, type Provider } from '../ai/models';
import { openAiBackend } from '../ai/openai-backend';
import { httpProviderFaults, type ProviderFaultControl } from '../faults/effects/provider-faults';

export interface ProviderOptions {
  /** External OpenAI-compatible endpoint; unset: the embedded fake. */
  openaiBaseUrl?: string;
  /** External Anthropic endpoint; unset: the embedded fake. */
  anthropicBaseUrl?: string;
  /** Bearer token of the external fakes' control API (their `controlToken`), for provider faults. The embedded fakes serve none. */
  fakeControlToken?: string;
  /** Latency multiplier of the embedded fakes (1 = realistic; tests use 0.01). */
  fakeTimeScale?: number;
  /** Seed of the embedded fakes. */
  fakeSeed?: number;
  openaiApiKey?: string;
  anthropicApiKey?: string;
  /** One SDK call's time limit. @defaultValue 30000 */
  timeoutMs?: number;
}

/** The model providers as the service uses them: instrumented SDK clients, where faults go, what to close. */
export interface Providers {
  backends: Record<Provider, ChatBackend>;
  /** For embeddings (OpenAI only). */
  openai: OpenAI;
  baseUrls: Record<Provider, string>;
  faults: ProviderFaultControl;
  /** The fakes this service started, if any. */
  embedded: FakeProviders | undefined;
  close(): Promise<void>;
}

/**
 * Creates the official `openai` and `@anthropic-ai/sdk` clients, instrumented
 * with the exporter's integrations exactly as a user would. Without base URLs,
 * fake providers start in-process on a free loopback port: the demo needs no
 * API key and no network. They serve no control API: their faults come only
 * through this service's admin API (with its token and limits).
 */
export async function connectProviders(mw: Modelwatch | undefined, options: ProviderOptions): Promise<Providers> {
  const needsFakes = !options.openaiBaseUrl || !options.anthropicBaseUrl;
  const embedded = needsFakes ? await startFakeProviders({ host: '127.0.0.1', port: 0, timeScale: options.fakeTimeScale ?? 1, seed: options.fakeSeed ?? 1 }) : undefined;
  const baseUrls: Record<Provider, string> = {
    openai: options.openaiBaseUrl || embedded!.openaiBaseUrl,
    anthropic: options.anthropicBaseUrl || embedded!.anthropicBaseUrl,
  };
  // The router fails over to the other provider itself; SDK retries would only hide the failures and double the wait.
  const common = { maxRetries: 0, timeout: options.timeoutMs ?? 30_000 };
  const rawOpenai = new OpenAI({ ...common, baseURL: baseUrls.openai, apiKey: options.openaiApiKey || 'sk-modelwatch-demo' });
  const rawAnthropic = new Anthropic({ ...common, baseURL: baseUrls.anthropic, apiKey: options.anthropicApiKey || 'sk-ant-modelwatch-demo' });
  // Without `mw` (the uninstrumented bench baseline) the clients stay as the SDKs made them.
  const openai = mw ? instrumentOpenAI(rawOpenai, mw, { includeStreamUsage: true }) : rawOpenai;
  const anthropic = mw ? instrumentAnthropic(rawAnthropic, mw) : rawAnthropic;

  return {
    backends: { openai: openAiBackend(openai), anthropic: anthropicBackend(anthropic) },
    openai,
    baseUrls,
    faults: faultControl(embedded, options),
    embedded,
    close: async () => {
      await embedded?.close();
    },
  };
}

/** Faults of an embedded provider go to its controller in-process; those of an external fake to its control API. */
function faultControl(embedded: FakeProviders | undefined, options: ProviderOptions): ProviderFaultControl {
  const external = httpProviderFaults({ openai: options.openaiBaseUrl ?? '', anthropic: options.anthropicBaseUrl ?? '' }, options.fakeControlToken);
  const isEmbedded = (provider: Provider) => embedded !== undefined && !(provider === 'openai' ? options.openaiBaseUrl : options.anthropicBaseUrl);
  return {
    async inject(fault) {
      // A model-scoped fault goes only to the provider serving that model.
      const owner = fault.provider ?? (fault.model === undefined ? undefined : providerOfModel(fault.model));
      const providers: Provider[] = owner ? [owner] : ['openai', 'anthropic'];
      const results = await Promise.allSettled(
        providers.map(async (provider) => {
          const scoped = { ...fault, provider };
          return isEmbedded(provider) ? embedded!.faults.inject(scoped) : external.inject(scoped);
        }),
      );
      const handles = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) {
        // All or nothing: never leave one provider faulted when the fault as a whole was refused.
        handles.forEach((handle) => handle.clear());
        throw failure.reason;
      }
      return { clear: () => handles.forEach((handle) => handle.clear()) };
    },
  };
}
