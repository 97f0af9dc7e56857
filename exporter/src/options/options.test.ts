import Anthropic from '@anthropic-ai/sdk';
import Fastify from 'fastify';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { clusterMetrics } from '../cluster';
import { modelwatchFastify } from '../fastify';
import { instrumentAnthropic } from '../integrations/anthropic';
import { instrumentOpenAI } from '../integrations/openai';
import { modelwatchMiddleware } from '../integrations/vercel-ai';
import { logAiCalls } from '../logging/ai-call-log';
import { accessLog } from '../logging/access-log';
import { createLogger } from '../logging/create-logger';
import { redact } from '../logging/formats';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { OptionError } from './schema';

const quiet = { defaultMetrics: false, warn: () => undefined } as const;

/** Calls `make` with options TypeScript would refuse, as a JavaScript caller (or a cast) can. */
const loose = (options: unknown) => options as never;

describe('createModelwatch rejects bad options, naming the option, what was given and what is expected', () => {
  it.each([
    ['a typo', { defualtMetrics: false }, 'createModelwatch: option "defualtMetrics" is not a known option (did you mean "defaultMetrics"?); known: defaultMetrics, seriesCaps, memoryLimitBytes, service, prices, exemplars, http, metricsEndpoint, tracing, attribution, warn'],
    ['prices as a string', { prices: 'x' }, 'createModelwatch: option "prices" must be { overrides, bundledPrices }, got the string "x"'],
    ['ignorePaths as a string', { http: { ignorePaths: '/metrics' } }, 'createModelwatch: option "http.ignorePaths" must be an array of strings, got the string "/metrics"'],
    ['an ignored path that is not a string', { http: { ignorePaths: ['/metrics', 7] } }, 'createModelwatch: option "http.ignorePaths[1]" must be a string, got number 7'],
    ['route that is not a function', { http: { route: '/users/:id' } }, 'createModelwatch: option "http.route" must be a function, got the string "/users/:id"'],
    ['empty auth', { metricsEndpoint: { auth: {} } }, 'createModelwatch: option "metricsEndpoint.auth" must be { bearerToken } or { username, password }, got an empty object'],
    ['auth without its password', { metricsEndpoint: { auth: { username: 'prometheus' } } }, 'createModelwatch: option "metricsEndpoint.auth.password" is required in { username, password }'],
    ['an empty bearer token', { metricsEndpoint: { auth: { bearerToken: '' } } }, 'createModelwatch: option "metricsEndpoint.auth.bearerToken" must be a non-empty string, got the string ""'],
    ['compression as a string', { metricsEndpoint: { compression: 'gzip' } }, 'createModelwatch: option "metricsEndpoint.compression" must be true or false, got the string "gzip"'],
    ['defaultMetrics as a string', { defaultMetrics: 'no' }, 'createModelwatch: option "defaultMetrics" must be true or false, got the string "no"'],
    ['a cap for a metric that does not exist', { seriesCaps: { genAiDuration: 10 } }, 'createModelwatch: option "seriesCaps.genAiDuration" is not a known option'],
    ['a fractional cap', { seriesCaps: { genAiOperationDuration: 1.5 } }, 'createModelwatch: option "seriesCaps.genAiOperationDuration" must be a positive integer, got number 1.5'],
    ['a zero memory limit', { memoryLimitBytes: 0 }, 'createModelwatch: option "memoryLimitBytes" must be a finite number > 0, got number 0'],
    ['an infinite memory limit', { memoryLimitBytes: Infinity }, 'createModelwatch: option "memoryLimitBytes" must be a finite number > 0, got number Infinity'],
    ['exemplars as a string', { exemplars: 'otel' }, 'createModelwatch: option "exemplars" must be true or false or a function, got the string "otel"'],
    ['a misspelt tracing option', { tracing: { captureContents: true } }, 'createModelwatch: option "tracing.captureContents" is not a known option (did you mean "captureContent"?)'],
    ['a tracer provider without getTracer', { tracing: { tracerProvider: {} } }, 'createModelwatch: option "tracing.tracerProvider" must be a TracerProvider (an object with getTracer()), got an empty object'],
    ['overrides that are not an array', { prices: { overrides: { model: 'm' } } }, 'createModelwatch: option "prices.overrides" must be an array of price overrides, got an object with "model"'],
    ['warn that is not a function', { warn: console }, 'createModelwatch: option "warn" must be a function, got an object with'],
    ['options that are not an object', 'fast', 'createModelwatch: option "options" must be {'],
  ])('%s', (_, options, message) => {
    let thrown: unknown;
    try {
      createModelwatch(loose(options));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OptionError);
    expect((thrown as Error).message).toContain(message);
  });

  it('keeps the price overrides’ own messages, which name the model', () => {
    expect(() => createModelwatch({ ...quiet, prices: { overrides: [{ model: 'ft:x', inputPerMTok: -1, outputPerMTok: 1 }] } })).toThrow(
      'PriceBook: overrides[0] (model "ft:x").inputPerMTok must be a finite number >= 0 (USD per million tokens), got -1',
    );
  });

  it('accepts every documented option', () => {
    expect(() =>
      createModelwatch({
        ...quiet,
        seriesCaps: { genAiOperationDuration: 10 },
        memoryLimitBytes: 1024,
        prices: { overrides: [], bundledPrices: false },
        exemplars: () => undefined,
        http: { ignorePaths: [], route: () => undefined },
        metricsEndpoint: { auth: { username: 'u', password: 'p' }, compression: false },
        tracing: { captureContent: false, httpServerSpans: false, emitLegacyGenAiSystem: false },
      }),
    ).not.toThrow();
  });
});

describe('every integration rejects bad options the same way', () => {
  const mw = (): Modelwatch => createModelwatch(quiet);
  const openai = () => new OpenAI({ apiKey: 'test-key', baseURL: 'http://127.0.0.1:9/v1' });
  const anthropic = () => new Anthropic({ apiKey: 'test-key', baseURL: 'http://127.0.0.1:9' });
  const logger = createLogger({ transports: [] });

  it.each([
    ['mw.express', () => mw().express(loose({ ignorePath: ['/health'] })), 'mw.express: option "ignorePath" is not a known option (did you mean "ignorePaths"?)'],
    ['mw.http', () => mw().http(() => undefined, loose({ routes: '/users/:id' })), 'mw.http: option "routes" must be an array of strings, got the string "/users/:id"'],
    ['instrumentOpenAI', () => instrumentOpenAI(openai(), mw(), loose({ includeStreamUsage: 'yes' })), 'instrumentOpenAI: option "includeStreamUsage" must be true or false, got the string "yes"'],
    ['instrumentAnthropic', () => instrumentAnthropic(anthropic(), mw(), loose({ providr: 'aws.bedrock' })), 'instrumentAnthropic: option "providr" is not a known option (did you mean "provider"?)'],
    ['modelwatchMiddleware', () => modelwatchMiddleware(mw(), loose({ provider: '' })), 'modelwatchMiddleware: option "provider" must be a non-empty string, got the string ""'],
    ['clusterMetrics.primary', () => clusterMetrics.primary(loose({ timeout: 100 })), 'clusterMetrics.primary: option "timeout" is not a known option'],
    ['createLogger', () => createLogger(loose({ redact: { field: ['ssn'] } })), 'createLogger: option "redact.field" is not a known option (did you mean "fields"?)'],
    ['accessLog', () => accessLog(logger, loose({ ignorePaths: '/healthz' })), 'accessLog: option "ignorePaths" must be an array of strings, got the string "/healthz"'],
    ['logAiCalls', () => logAiCalls(mw(), logger, loose({ levle: 'debug' })), 'logAiCalls: option "levle" is not a known option (did you mean "level"?)'],
    ['redact', () => redact(loose({ patterns: ['sk_[a-z]+'] })), 'redact: option "patterns[0]" must be a RegExp, got the string "sk_[a-z]+"'],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(OptionError);
    expect(make).toThrow(message);
  });

  it('startMetricsServer rejects before listening', async () => {
    await expect(mw().startMetricsServer(loose({ port: '9464' }))).rejects.toThrow('startMetricsServer: option "port" must be an integer from 0 to 65535, got the string "9464"');
  });

  it('app.register(modelwatchFastify(mw)) fails the registration, and accepts Fastify’s own register options', async () => {
    const app = Fastify();
    await expect(app.register(modelwatchFastify(mw()), loose({ metricPath: '/metrics' }))).rejects.toThrow('app.register(modelwatchFastify(mw), options): option "metricPath" is not a known option (did you mean "metricsPath"?)');
    const good = Fastify();
    await good.register(modelwatchFastify(mw()), { metricsPath: '/metrics', prefix: '/api' } as never);
    await good.ready();
    await good.close();
  });
});
