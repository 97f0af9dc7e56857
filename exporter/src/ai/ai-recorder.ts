import { DEFAULT_SERIES_CAP, GEN_AI_OPERATION, INSTRUMENTATION_ERROR_REASON, LABEL, RAW_LOOKUP_CACHE_FACTOR, TOKEN_TYPE } from '@modelwatch/conventions';
import type { AttributedSpend } from '../attribution/attributed-spend';
import type { Attribution, AttributionScope } from '../attribution/scope';
import { isCurrent, type ModelPrice, type PriceBook } from '../cost/price-book';
import type { Instruments } from '../instruments';
import type { CounterSeries } from '../metrics/counter';
import type { TraceRef } from '../metrics/exemplar';
import type { HistogramSeries } from '../metrics/histogram';
import type { LabelledMetric, Series } from '../metrics/labelled-metric';
import { sanitizeLabelValue } from '../metrics/label-values';
import { isSameModel } from './served-model';
import { timePerOutputToken } from './time-per-output-token';
import { isAnthropicProvider, normalizeUsage, readUsageInto, type NormalizedUsage } from './usage';

/** What identifies an AI call in metrics. */
export interface AiCallAttributes {
  /** `gen_ai_provider_name`, e.g. `openai`, `anthropic`, `gcp.gemini`. */
  provider: string;
  /** `gen_ai_request_model`: the model asked for. */
  model: string;
  /** `gen_ai_operation_name`; default `chat`. */
  operation?: string;
  /** Span only (`server.address`): host of the model endpoint, e.g. from the client's `baseURL`. */
  serverAddress?: string;
  /** Span only (`server.port`), set with `serverAddress`. */
  serverPort?: number;
  /** Span only: request parameters, recorded as `gen_ai.request.*`. */
  requestAttributes?: AiRequestAttributes;
  /** Who the call is for; overrides the enclosing `mw.attribute()` scope. */
  tenant?: string;
  /** What the call is for; overrides the enclosing `mw.attribute()` scope. */
  feature?: string;
}

/**
 * How the SDK integrations pass a call's attributes: the request parameters are read
 * from the request body only when a span records them, not on every call.
 */
export interface DeferredAiCallAttributes extends AiCallAttributes {
  readRequestAttributes?: () => AiRequestAttributes | undefined;
}

/** Request parameters of an AI call, recorded on its span (never metric labels). */
export interface AiRequestAttributes {
  /** `gen_ai.request.max_tokens` */
  maxTokens?: number;
  /** `gen_ai.request.temperature` */
  temperature?: number;
  /** `gen_ai.request.top_p` */
  topP?: number;
  /** `gen_ai.request.top_k` */
  topK?: number;
  /** `gen_ai.request.frequency_penalty` */
  frequencyPenalty?: number;
  /** `gen_ai.request.presence_penalty` */
  presencePenalty?: number;
  /** `gen_ai.request.seed` */
  seed?: number;
  /** `gen_ai.request.stop_sequences` */
  stopSequences?: readonly string[];
}

/** One finished AI call, as measured by the caller or by `observeAiCall`. */
export interface AiCallOutcome {
  durationSeconds: number;
  /** Streaming calls only; it also tells a stream's time per output token from that of a call answered in one piece. */
  timeToFirstChunkSeconds?: number;
  /** The provider's usage object in any supported shape (OpenAI, Anthropic, Gemini, Vercel AI SDK). */
  usage?: unknown;
  /** Set when the call failed; `classifyAiError` gives the standard values. */
  errorType?: string;
  /** The model that answered, as the response names it; when it is another model than the one requested, the call is priced on it and counted as a substitution. */
  responseModel?: string;
  trace?: TraceRef;
}

/** What was recorded of one call, for listeners such as the AI-call logger. */
export interface AiCallSummary {
  provider: string;
  model: string;
  operation: string;
  durationSeconds: number;
  timeToFirstChunkSeconds: number | undefined;
  /** Undefined on success. */
  errorType: string | undefined;
  /** Undefined when the call carried no readable usage. */
  usage: NormalizedUsage | undefined;
  /** Undefined when unpriced or without usage. */
  costUsd: number | undefined;
  /** The model that answered, when the response named it. */
  responseModel: string | undefined;
  /** As in the metrics (hashed when tenants are personal data); undefined when not attributed. */
  tenant: string | undefined;
  feature: string | undefined;
  trace: TraceRef | undefined;
}

export type AiCallListener = (call: AiCallSummary) => void;

/** The series one (operation, provider, model, error type) writes to, resolved once and reused. */
class AiSeriesBinding {
  /** The next kept binding of the same model (another provider, operation or error type). */
  next: AiSeriesBinding | undefined;
  private timeToFirstChunkSeries: HistogramSeries | undefined;
  private timePerOutputTokenSeries: HistogramSeries | undefined;
  private tokenSeries: TokenSeries | undefined;
  /** The last served model another than `model`, and its substitution (undefined: the same model): a one-entry cache. */
  private lastServed: string | undefined;
  private lastSubstitution: Substitution | undefined;

  readonly duration: HistogramSeries;
  /** Whether the provider is Anthropic's, which settles usage shapes the keys cannot (read once, not per call). */
  readonly anthropicUsage: boolean;

  constructor(
    private readonly instruments: Instruments,
    readonly provider: string,
    /** For a folded binding, the first model it served: its series are the `_other` ones of every new model. */
    readonly model: string,
    readonly operation: string,
    /** '' on success. */
    readonly errorType: string,
    /** Serves every new model of a flood (see FoldState): each call brings its own model, priced per call. */
    readonly folded = false,
  ) {
    this.duration = instruments.aiDuration.series([operation, provider, model, errorType]);
    this.anthropicUsage = isAnthropicProvider(provider);
  }

  get timeToFirstChunk(): HistogramSeries {
    return (this.timeToFirstChunkSeries ??= this.instruments.aiTimeToFirstChunk.series([this.operation, this.provider, this.model, this.errorType]));
  }

  /** Has no `error_type`: only the success binding of an (operation, provider, model) records it. */
  get timePerOutputToken(): HistogramSeries {
    return (this.timePerOutputTokenSeries ??= this.instruments.aiTimePerOutputToken.series([this.operation, this.provider, this.model]));
  }

  get tokens(): TokenSeries {
    return (this.tokenSeries ??= new TokenSeries(this.instruments, this.provider, this.model, this.operation));
  }

  /** The substitution when `served` is another model than this binding's; undefined when it is the same one (or a snapshot of it). */
  substitution(served: string): Substitution | undefined {
    if (served === this.lastServed) return this.lastSubstitution;
    const substitution = isSameModel(this.model, served)
      ? undefined
      : new Substitution(served, this.instruments.aiModelSubstitutions.series([this.provider, this.model, served]));
    this.lastServed = served;
    this.lastSubstitution = substitution;
    return substitution;
  }
}

/** Calls of one requested model answered by another: counted, and priced on the model that answered. */
class Substitution {
  /** The served model's price (null: none), looked up at its first call with usage and kept until it expires. */
  price: ModelPrice | null | undefined;

  constructor(
    readonly served: string,
    readonly counter: CounterSeries,
  ) {}
}

/** Token and cost series of one (operation, provider, model); shared by the success and error bindings. */
class TokenSeries {
  readonly inputUsage: HistogramSeries;
  readonly outputUsage: HistogramSeries;
  readonly input: CounterSeries;
  readonly output: CounterSeries;
  readonly cacheRead: CounterSeries;
  readonly cacheCreation: CounterSeries;
  readonly reasoning: CounterSeries;
  private costSeries: CounterSeries | undefined;
  private unpricedSeries: CounterSeries | undefined;
  /** The model's price (null: none), looked up at the first call with usage and kept until it expires. */
  price: ModelPrice | null | undefined;

  constructor(
    private readonly instruments: Instruments,
    private readonly provider: string,
    private readonly model: string,
    private readonly operation: string,
  ) {
    const usage = instruments.aiTokenUsage;
    this.inputUsage = usage.series([operation, provider, model, TOKEN_TYPE.input]);
    this.outputUsage = usage.series([operation, provider, model, TOKEN_TYPE.output]);
    const tokens = instruments.aiTokens;
    this.input = tokens.series([provider, model, TOKEN_TYPE.input]);
    this.output = tokens.series([provider, model, TOKEN_TYPE.output]);
    this.cacheRead = tokens.series([provider, model, TOKEN_TYPE.cacheRead]);
    this.cacheCreation = tokens.series([provider, model, TOKEN_TYPE.cacheCreation]);
    this.reasoning = tokens.series([provider, model, TOKEN_TYPE.reasoning]);
  }

  // Created on first use: a priced model gets no unpriced series, and an unpriced one no cost series that would read $0.
  get cost(): CounterSeries {
    return (this.costSeries ??= this.instruments.aiCost.series([this.provider, this.model, this.operation]));
  }

  get unpriced(): CounterSeries {
    return (this.unpricedSeries ??= this.instruments.aiUnpriced.series([this.provider, this.model]));
  }
}

/** The AI metrics a call may write to, as bits (in the order of `FoldState.metrics`). */
const FOLD_DURATION = 1;
const FOLD_TIME_TO_FIRST_CHUNK = 2;
const FOLD_TIME_PER_OUTPUT_TOKEN = 4;
const FOLD_TOKEN_USAGE = 8;
const FOLD_TOKENS = 16;
const FOLD_COST = 32;
const FOLD_UNPRICED = 64;
/** Folded bindings kept per FoldState: one per (provider, operation, error type), which are few unless those flood too. */
const FOLDED_BINDING_LIMIT = 64;

/**
 * What the recorder knows of the AI metrics while it folds a flood of new model names: which
 * metrics were full when it looked, how many changes each had seen then, and every model that a
 * full one holds a regular series of. A call of a model none of them holds, writing only to metrics
 * that were full and have not changed since, would fold into `_other` in each of them: it is
 * recorded on the folded binding of its (provider, operation, error type), whose series are those
 * `_other` series, without a lookup per metric. A full metric changes only when a series is
 * removed; a metric that fills up, or changes, makes the recorder look again.
 */
class FoldState {
  readonly fullMask: number;
  private readonly changes: number[];
  /** Sanitised model names held by a full metric: at most the sum of their caps. */
  readonly heldModels = new Set<string>();
  /** provider → folded bindings, chained like the kept ones. */
  readonly bindings = new Map<string, AiSeriesBinding>();
  bindingCount = 0;

  constructor(private readonly metrics: readonly LabelledMetric<Series>[]) {
    let fullMask = 0;
    this.changes = metrics.map((metric, i) => {
      if (metric.isFull) {
        fullMask |= 1 << i;
        const at = metric.labelNames.indexOf(LABEL.genAiRequestModel);
        for (const series of metric.all()) if (!series.isOverflow) this.heldModels.add(series.labelValues[at] as string);
      }
      return metric.changes;
    });
    this.fullMask = fullMask;
  }

  /** 'current' when every metric in `needed` was full and has not changed; 'stale' when one filled up or changed since; else 'open'. */
  check(needed: number): 'current' | 'stale' | 'open' {
    let open = false;
    for (let i = 0; i < this.metrics.length; i++) {
      if ((needed & (1 << i)) === 0) continue;
      const metric = this.metrics[i]!;
      if ((this.fullMask & (1 << i)) !== 0) {
        if (metric.changes !== this.changes[i]) return 'stale';
      } else if (metric.isFull) {
        return 'stale';
      } else {
        open = true;
      }
    }
    return open ? 'open' : 'current';
  }
}

/**
 * Records AI calls. The per-call hot path is one Map lookup by model to a cached
 * binding (its provider, operation and error type compared, a chain of a few when
 * a model has several), then plain array writes: no label strings are built, and
 * the model's price is kept on its token series, so a call does no price lookup.
 */
export class AiRecorder {
  /** model → its kept bindings, success first. */
  private readonly bindings = new Map<unknown, AiSeriesBinding>();
  private bindingCount = 0;
  private readonly bindingLimit: number;
  private readonly listeners: AiCallListener[] = [];
  /** provider → models whose calls have started, bounded like the bindings. */
  private readonly announced = new Map<unknown, Set<unknown>>();
  private announcedCount = 0;
  /** Where a call's usage is read into, so recording one allocates nothing. */
  private readonly usage: NormalizedUsage = emptyUsage();
  private recording = false;
  /** Built once the bindings are at their limit and a call brings a model not kept; replaced when stale. */
  private fold: FoldState | undefined;
  /** Set by `foldedBinding`, read at once by the caller: the price of the call's model. */
  private foldedPrice: ModelPrice | null = null;

  constructor(
    private readonly instruments: Instruments,
    private readonly prices: PriceBook,
    /** Spend by tenant and feature; none when the app did not ask for attribution. */
    private readonly attribution?: { spend: AttributedSpend; scope: AttributionScope },
    bindingLimit = DEFAULT_SERIES_CAP * RAW_LOOKUP_CACHE_FACTOR,
  ) {
    this.bindingLimit = bindingLimit;
  }

  /** The attribution scope of the code running now, for calls that start now and end later. */
  currentAttribution(): Attribution | undefined {
    return this.attribution?.scope.current();
  }

  /**
   * Called as a call starts. The first call of a model without a known price creates its
   * unpriced counter at 0 (the price table is read then), so a scrape during that call sees
   * the series before it rises, and an alert on its increase counts the first call too.
   * Never throws.
   */
  announce(provider: string, model: string): void {
    try {
      let models = this.announced.get(provider);
      if (models?.has(model) || this.announcedCount >= this.bindingLimit) return;
      if (!models) this.announced.set(provider, (models = new Set()));
      models.add(model);
      this.announcedCount++;
      if (!this.prices.hasPrice(String(provider), String(model))) this.instruments.aiUnpriced.series([provider, model]);
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    }
  }

  /** Records one finished call, attributed to the scope it is recorded in. Never throws; bad values are dropped and counted. */
  record(attributes: AiCallAttributes, outcome: AiCallOutcome): void {
    this.recordIn(attributes, outcome, this.attribution === undefined ? undefined : this.currentAttribution());
  }

  /** Records one finished call, attributed to `scoped` (the scope it started in) where its attributes do not say. */
  recordIn(attributes: AiCallAttributes, outcome: AiCallOutcome, scoped: Attribution | undefined): void {
    // A call recorded while another is being read (from a getter of its usage object, or a listener) gets its own.
    const nested = this.recording;
    const usage = nested ? emptyUsage() : this.usage;
    this.recording = true;
    try {
      const cost = this.recordUnsafe(attributes, outcome, usage);
      // Apart, so that an app attributing nothing and listening to nothing runs the smallest code.
      if (this.attribution !== undefined || this.listeners.length > 0) this.attributeAndNotify(attributes, outcome, scoped, usage, cost);
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    } finally {
      this.recording = nested;
    }
  }

  /** Calls `listener` after each recorded call (logs, spans). A throwing listener is counted, never propagated. */
  onRecorded(listener: AiCallListener): void {
    this.listeners.push(listener);
  }

  /** Books a recorded call on its tenant and feature, and tells the listeners. */
  private attributeAndNotify(attributes: AiCallAttributes, outcome: AiCallOutcome, scoped: Attribution | undefined, usage: NormalizedUsage, cost: number | undefined | null): void {
    let tenant: string | undefined;
    let feature: string | undefined;
    if (this.attribution !== undefined) {
      tenant = attributes.tenant ?? scoped?.tenant;
      feature = attributes.feature ?? scoped?.feature;
      if (cost !== null) this.attributeCall(tenant, feature, usage, cost);
    }
    if (this.listeners.length > 0) this.notify(attributes, outcome, cost === null ? undefined : { ...usage }, cost ?? undefined, tenant, feature);
  }

  /** Counts the call's tokens and cost for its tenant and feature; attributes that are not strings are counted and dropped. */
  private attributeCall(tenant: unknown, feature: unknown, usage: NormalizedUsage, cost: number | undefined): void {
    if (tenant !== undefined && typeof tenant !== 'string') {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidAttribution);
      tenant = undefined;
    }
    if (feature !== undefined && typeof feature !== 'string') {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidAttribution);
      feature = undefined;
    }
    this.attribution!.spend.record((tenant as string | undefined) || undefined, (feature as string | undefined) || undefined, usage, cost);
  }

  private notify(
    attributes: AiCallAttributes,
    outcome: AiCallOutcome,
    usage: NormalizedUsage | undefined,
    costUsd: number | undefined,
    tenant: string | undefined,
    feature: string | undefined,
  ): void {
    const summary: AiCallSummary = {
      provider: attributes.provider,
      model: attributes.model,
      operation: attributes.operation ?? GEN_AI_OPERATION.chat,
      durationSeconds: outcome.durationSeconds,
      timeToFirstChunkSeconds: outcome.timeToFirstChunkSeconds,
      errorType: outcome.errorType,
      usage,
      costUsd,
      responseModel: typeof outcome.responseModel === 'string' ? outcome.responseModel : undefined,
      tenant: tenant === undefined ? undefined : this.attribution!.spend.tenantLabel(tenant),
      feature,
      trace: outcome.trace,
    };
    for (const listener of this.listeners) {
      try {
        listener(summary);
      } catch {
        this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
      }
    }
  }

  /** Records the call, its usage read into `usage`; returns its cost, undefined when unpriced, null when it had no readable usage. */
  private recordUnsafe(attributes: AiCallAttributes, outcome: AiCallOutcome, usage: NormalizedUsage): number | undefined | null {
    const { instruments } = this;
    // Each read once: whether a call can be folded depends on them.
    const { durationSeconds, timeToFirstChunkSeconds, trace, responseModel: served, usage: rawUsage } = outcome;
    const operation = attributes.operation ?? GEN_AI_OPERATION.chat;
    const errorType = outcome.errorType ?? '';
    let binding = this.keptBinding(attributes.provider, attributes.model, operation, errorType);
    let foldedPrice: ModelPrice | null = null;
    if (binding === undefined) {
      binding = this.unkeptBinding(attributes.provider, attributes.model, operation, errorType, served, timeToFirstChunkSeconds !== undefined, rawUsage !== undefined && rawUsage !== null);
      if (binding.folded) foldedPrice = this.foldedPrice;
    }
    // A folded binding serves many models: the call's own is the one requested (a string, checked).
    const model = binding.folded ? attributes.model : binding.model;
    // Time per output token is derived from these times: only from times their own histograms accepted,
    // so a bad one is counted once and never turns into a plausible-looking figure.
    let timesValid = instruments.aiDuration.observe(binding.duration, durationSeconds, trace);
    if (timeToFirstChunkSeconds !== undefined) {
      timesValid = instruments.aiTimeToFirstChunk.observe(binding.timeToFirstChunk, timeToFirstChunkSeconds, trace) && timesValid;
    }
    let substitution: Substitution | undefined;
    if (served !== undefined && served !== model) {
      if (typeof served !== 'string') instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidLabelValue);
      else substitution = binding.substitution(served);
      if (substitution !== undefined) instruments.aiModelSubstitutions.inc(substitution.counter);
    }
    if (rawUsage === undefined || rawUsage === null) return null;
    const failure = readUsageInto(rawUsage, binding.anthropicUsage, usage);
    if (failure !== undefined) {
      instruments.reportError(failure === 'invalid_tokens' ? INSTRUMENTATION_ERROR_REASON.invalidTokens : INSTRUMENTATION_ERROR_REASON.unknownUsageShape);
      return null;
    }
    if (timesValid && binding.errorType === '') {
      const perToken = timePerOutputToken(durationSeconds, timeToFirstChunkSeconds, usage.output);
      if (perToken !== undefined) instruments.aiTimePerOutputToken.observe(binding.timePerOutputToken, perToken, trace);
    }
    return this.recordUsage(binding, model, foldedPrice, usage, trace, substitution);
  }

  /**
   * Records tokens and cost (priced on the model that answered); returns the cost, undefined when unpriced.
   * `model` is the one requested; `foldedPrice` its price when the binding is folded (looked up per call).
   */
  private recordUsage(
    binding: AiSeriesBinding,
    model: string,
    foldedPrice: ModelPrice | null,
    usage: NormalizedUsage,
    trace: TraceRef | undefined,
    substitution: Substitution | undefined,
  ): number | undefined {
    const { aiTokenUsage, aiTokens, aiCost, aiUnpriced } = this.instruments;
    const series = binding.tokens;
    aiTokenUsage.observe(series.inputUsage, usage.input);
    aiTokenUsage.observe(series.outputUsage, usage.output);
    aiTokens.inc(series.input, usage.input);
    aiTokens.inc(series.output, usage.output);
    if (usage.cacheRead > 0) aiTokens.inc(series.cacheRead, usage.cacheRead);
    if (usage.cacheCreation > 0) aiTokens.inc(series.cacheCreation, usage.cacheCreation);
    if (usage.reasoning > 0) aiTokens.inc(series.reasoning, usage.reasoning);
    let cost: number | undefined;
    if (binding.folded) {
      cost = foldedPrice === null ? undefined : this.prices.costWith(foldedPrice, model, usage);
    } else if (substitution === undefined) {
      let price = series.price;
      if (price === undefined || (price !== null && !isCurrent(price))) price = series.price = this.prices.priceOf(binding.provider, binding.model);
      cost = price === null ? undefined : this.prices.costWith(price, binding.model, usage);
    } else {
      let price = substitution.price;
      if (price === undefined || (price !== null && !isCurrent(price))) price = substitution.price = this.prices.priceOf(binding.provider, substitution.served);
      cost = price === null ? undefined : this.prices.costWith(price, substitution.served, usage);
    }
    if (cost === undefined) aiUnpriced.inc(series.unpriced);
    else aiCost.inc(series.cost, cost, trace);
    return cost;
  }

  /** Cost of a call with this usage, for callers such as the cache helper; undefined when unpriced or unreadable. */
  costOf(provider: string, model: string, usage: unknown): number | undefined {
    const normalized = normalizeUsage(usage, provider);
    return normalized.ok ? this.prices.costOf(provider, model, normalized.usage) : undefined;
  }

  /** The kept binding of these values, if any. */
  private keptBinding(provider: string, model: string, operation: string, errorType: string): AiSeriesBinding | undefined {
    // Kept bindings hold strings only, so === compares them with the caller's values exactly.
    for (let b = this.bindings.get(model); b !== undefined; b = b.next) {
      if (b.provider === provider && b.operation === operation && b.errorType === errorType) return b;
    }
    return undefined;
  }

  /** A binding for values not kept: a new kept one below the limit, else the folded one when it applies, else one for this call only. */
  private unkeptBinding(
    provider: string,
    model: string,
    operation: string,
    errorType: string,
    served: unknown,
    streamed: boolean,
    hasUsage: boolean,
  ): AiSeriesBinding {
    const strings = typeof provider === 'string' && typeof model === 'string' && typeof operation === 'string' && typeof errorType === 'string';
    if (strings && this.bindingCount >= this.bindingLimit) {
      const folded = this.foldedBinding(provider, model, operation, errorType, served, streamed, hasUsage);
      if (folded !== undefined) return folded;
    }
    const binding = new AiSeriesBinding(this.instruments, String(provider), String(model), String(operation), String(errorType));
    // Past the limit (a flood of distinct model names) bindings are built per call and not kept:
    // the metrics themselves still fold into `_other`, and memory stays flat.
    if (this.bindingCount >= this.bindingLimit || !strings) return binding;
    const first = this.bindings.get(model);
    this.bindingCount++;
    if (first === undefined) {
      this.bindings.set(model, binding);
    } else if (errorType === '') {
      // Successes are the common case: their binding goes first in the chain.
      binding.next = first;
      this.bindings.set(model, binding);
    } else {
      binding.next = first.next;
      first.next = binding;
    }
    return binding;
  }

  /**
   * The folded binding for a call of a model that no full AI metric holds, when every metric the
   * call writes to is full (so each would fold it into `_other`); undefined when that is not known.
   * Sets `foldedPrice` to the model's price.
   */
  private foldedBinding(
    provider: string,
    model: string,
    operation: string,
    errorType: string,
    served: unknown,
    streamed: boolean,
    hasUsage: boolean,
  ): AiSeriesBinding | undefined {
    // A substitution counts the requested model by name: such calls take the binding of their own.
    if (served !== undefined && served !== model) return undefined;
    let needed = FOLD_DURATION;
    if (streamed) needed |= FOLD_TIME_TO_FIRST_CHUNK;
    let price: ModelPrice | null = null;
    if (hasUsage) {
      price = this.prices.priceOf(provider, model);
      // Without a price, or when the usage cannot be priced, the call counts as unpriced.
      needed |= FOLD_TOKEN_USAGE | FOLD_TOKENS | FOLD_UNPRICED | (price === null ? 0 : FOLD_COST) | (errorType === '' ? FOLD_TIME_PER_OUTPUT_TOKEN : 0);
    }
    let fold = this.fold;
    let state = fold?.check(needed) ?? 'stale';
    if (state === 'stale') {
      const { aiDuration, aiTimeToFirstChunk, aiTimePerOutputToken, aiTokenUsage, aiTokens, aiCost, aiUnpriced } = this.instruments;
      fold = this.fold = new FoldState([aiDuration, aiTimeToFirstChunk, aiTimePerOutputToken, aiTokenUsage, aiTokens, aiCost, aiUnpriced]);
      state = fold.check(needed);
    }
    if (state !== 'current' || fold!.heldModels.has(sanitizeLabelValue(model))) return undefined;
    const first = fold!.bindings.get(provider);
    for (let b = first; b !== undefined; b = b.next) {
      if (b.operation === operation && b.errorType === errorType) return this.withFoldedPrice(b, price);
    }
    if (fold!.bindingCount >= FOLDED_BINDING_LIMIT) return undefined;
    fold!.bindingCount++;
    // Built from this call's model, which folds in every metric: its series are the `_other` ones.
    const binding = new AiSeriesBinding(this.instruments, provider, model, operation, errorType, true);
    binding.next = first;
    fold!.bindings.set(provider, binding);
    return this.withFoldedPrice(binding, price);
  }

  private withFoldedPrice(binding: AiSeriesBinding, price: ModelPrice | null): AiSeriesBinding {
    this.foldedPrice = price;
    return binding;
  }
}

function emptyUsage(): NormalizedUsage {
  return { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, reasoning: 0 };
}
