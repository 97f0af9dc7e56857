import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_SLOS, SLO_KIND } from '@modelwatch/conventions';
import { checkRules } from '@modelwatch/testkit';
import { main } from '../cli';
import { OUTPUT, prometheusRuleFiles } from '../generate';
import { PRODUCTION } from '../profile';
import { SpecError, loadSpec, parseSpec } from './load';
import { serviceObjectives } from './objectives';

const FIXTURES = join(__dirname, '__fixtures__');
const dir = mkdtempSync(join(tmpdir(), 'modelwatch-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems a spec text has, each as `line:column: path: message` without the file name. */
function problems(text: string): string[] {
  try {
    parseSpec(text, 'slos.yaml');
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return error.problems.map((p) => `${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  }
  return [];
}

describe('loading an SLO spec', () => {
  it("fills what a spec leaves out from the defaults, and the defaults from Modelwatch's", () => {
    const spec = loadSpec(join(FIXTURES, 'overrides.yaml'));
    expect(spec.defaults.availability.target).toBe(0.995);
    expect(spec.defaults.httpLatency).toEqual(DEFAULT_SERVICE_SLOS.httpLatency);
    const api = spec.services.api!;
    expect(api.availability).toEqual({ target: 0.9995, page: true, routes: [{ routes: [{ route: '/admin/*' }], target: 0.99, page: false }] });
    expect(api.httpLatency).toEqual({
      thresholdSeconds: 0.25,
      target: 0.99,
      page: true,
      routes: [{ name: 'chat', routes: [{ method: 'POST', route: '/v1/chat' }, { method: 'POST', route: '/v1/complete' }], thresholdSeconds: 7.5, target: 0.95 }],
    });
    expect(api.ai[1]).toEqual({ match: { provider: 'openai', model: 'text-embedding-*', operation: 'embeddings' }, page: false, duration: { thresholdSeconds: 0.32, target: 0.99 } });
    expect(api.caches).toEqual([{ name: 'answers', expectedHitRatio: 0.35, success: 0.999, page: false }]);
    expect(api.saturation).toEqual({ cpuCores: 2, eventLoopLagSeconds: 0.25 });
    expect(api.monthlyBudgetUsd).toBe(1200);
    // Each key given replaces the defaults' whole: api's features, the defaults' tenants, its own warnings.
    expect(api.budgets).toEqual({ warnAt: [0.5, 0.9], tenant: { acme: 300 }, feature: { 'support-bot': 600, summariser: 250 } });
    expect(spec.defaults.budgets).toEqual({ warnAt: [0.8, 0.95], tenant: { acme: 300 }, feature: {} });
    expect(loadSpec(join(FIXTURES, 'defaults-only.yaml')).defaults.budgets).toEqual({ warnAt: [0.8, 0.95], tenant: {}, feature: {} });
  });

  it('turns a spec into named objectives whose overrides claim their routes and models first', () => {
    const [api, others] = serviceObjectives(loadSpec(join(FIXTURES, 'overrides.yaml')));
    expect(api!.objectives.map((o) => [o.name, o.kind, o.target, o.page, o.scopeText])).toEqual([
      ['availability', SLO_KIND.availability, 0.9995, true, 'every route but /admin/*'],
      ['/admin/*: availability', SLO_KIND.availability, 0.99, false, '/admin/*'],
      ['latency', SLO_KIND.httpLatency, 0.99, true, 'every route but POST /v1/chat, POST /v1/complete'],
      ['chat', SLO_KIND.httpLatency, 0.95, true, 'POST /v1/chat, POST /v1/complete'],
      ['anthropic/claude-*: success', SLO_KIND.aiSuccess, 0.995, true, 'anthropic/claude-*'],
      ['anthropic/claude-*: time to first chunk', SLO_KIND.aiTimeToFirstChunk, 0.99, true, 'anthropic/claude-*'],
      ['openai/text-embedding-*: duration', SLO_KIND.aiDuration, 0.99, false, 'openai/text-embedding-* embeddings'],
      ['answers: success', SLO_KIND.cacheSuccess, 0.999, false, 'answers'],
    ]);
    expect(api!.objectives[6]!.scope).toEqual({ over: 'ai', include: { provider: 'openai', model: 'text-embedding-*', operation: 'embeddings' }, exclude: [{ provider: 'anthropic', model: 'claude-*' }] });
    expect(others!.jobs).toEqual({ allBut: ['api'] });
    expect(others!.objectives.map((o) => o.name)).toEqual(['availability', 'latency', 'every model: success', 'every cache: success']);
  });

  it.each(['overrides', 'defaults-only'])('generates the rules of %s.yaml as its golden files hold them', (name) => {
    const rules = prometheusRuleFiles(loadSpec(join(FIXTURES, `${name}.yaml`)), PRODUCTION);
    for (const [kind, text] of Object.entries(rules)) {
      const golden = join(FIXTURES, 'golden', `${name}.${kind}.yml`);
      // UPDATE_GOLDEN=1 rewrites them after an intended change; review the diff before committing.
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
      expect(text, `${golden} differs`).toBe(readFileSync(golden, 'utf8'));
    }
  });

  it('writes golden rule files that promtool accepts', async () => {
    const files = readdirSync(join(FIXTURES, 'golden')).map((file) => join(FIXTURES, 'golden', file));
    const result = await checkRules(files);
    expect(result.ok, result.output).toBe(true);
    expect(result.output.match(/SUCCESS/g)).toHaveLength(files.length);
  });

  it('reports every problem with its line, the path in the spec and the fix', () => {
    const text = [
      'version: 1',
      'services:',
      '  demo:',
      '    availability:',
      '      target: 120%',
      '      pages: true',
      '    latency:',
      '      threshold: 3s',
      '      target: 0',
      '      routes:',
      '        - routes: [chat]',
      '          threshold: -1s',
      '          target: 99%',
      '    ai:',
      '      - models: gpt-4o',
      '        success: 99%',
      '    monthly_budget_usd: lots',
    ].join('\n');
    expect(problems(text)).toEqual([
      '6:14: services.demo.availability.pages: unknown field "pages" (did you mean "page"?); allowed here: target, page, routes',
      '5:15: services.demo.availability.target: "120%" is not a share between 0 and 1 (exclusive); write it like 99.9% or 0.999',
      '9:15: services.demo.latency.target: 0 is not a share between 0 and 1 (exclusive); write it like 99.9% or 0.999',
      '11:20: services.demo.latency.routes.0.routes.0: "chat" is not a route (like POST /chat)',
      '12:22: services.demo.latency.routes.0.threshold: "-1s" is not a duration; write it like 500ms, 2.5s or 10 (seconds)',
      '15:17: services.demo.ai.0.models: "gpt-4o" is not `provider/model`, either part a glob, or `*` (like openai/gpt-4o*)',
      '17:25: services.demo.monthly_budget_usd: "lots" must be a number more than 0',
    ]);
  });

  it('refuses a threshold between bucket bounds, naming the nearest', () => {
    expect(problems('version: 1\nservices:\n  demo:\n    latency: { threshold: 3s, target: 99% }\n')).toEqual([
      '4:27: services.demo.latency.threshold: 3s is not a bucket bound of http_server_request_duration_seconds, so no query can count the events under it exactly; use 2.5s or 5s (bounds: 5ms, 10ms, 25ms, 50ms, 75ms, 100ms, 250ms, 500ms, 750ms, 1s, 2.5s, 5s, 7.5s, 10s)',
    ]);
  });

  it('refuses an AI entry without an objective, two objectives of one name, and a name taken by a health component', () => {
    const text = [
      'version: 1',
      'services:',
      '  demo:',
      '    availability:',
      '      routes:',
      '        - { name: saturation, routes: [/a], target: 99% }',
      '        - { name: twice, routes: [/b], target: 99% }',
      '        - { name: twice, routes: [/c], target: 99% }',
      '    ai:',
      '      - models: "*"',
    ].join('\n');
    expect(problems(text)).toEqual([
      '10:9: services.demo.ai.0: sets no objective; give at least one of success, time_to_first_chunk, time_per_output_token, duration',
      '6:11: services.demo.availability.routes.0: "saturation" is the name of a health component; name the objective otherwise',
      '8:11: services.demo.availability.routes.2: a second objective named "twice" in demo (the first is at services.demo.availability.routes.1); give one a different name',
    ]);
  });

  it('refuses budgets of the folds, warnings out of order or at 100%, and a budget that is not a positive amount', () => {
    const text = [
      'version: 1',
      'services:',
      '  demo:',
      '    budgets:',
      '      warn_at: [95%, 80%, 80%]',
      '      tenants: { acme: 100, _other: 500, globex: -5, constructor: 10 }',
      '      features: { _none: 50 }',
      '  api:',
      '    budgets: { warn_at: [80%, 100%] }',
    ].join('\n');
    expect(problems(text)).toEqual([
      '6:50: services.demo.budgets.tenants.globex: -5 must be a number more than 0',
      '9:31: services.api.budgets.warn_at.1: "100%" is not a share between 0 and 1 (exclusive); 100% always alerts: list the earlier warnings only, like [80%, 95%]',
    ]);
    // The structural problems fixed, the order and the folds are named (a tenant called constructor is a tenant like any other).
    expect(problems(text.replace('globex: -5', 'globex: 5').replace('[80%, 100%]', '[80%, 99%]'))).toEqual([
      '5:22: services.demo.budgets.warn_at.1: 80% does not come after 95%; list the warnings in increasing order, each once, like [80%, 95%]',
      '5:27: services.demo.budgets.warn_at.2: 80% does not come after 80%; list the warnings in increasing order, each once, like [80%, 95%]',
      '6:37: services.demo.budgets.tenants._other: "_other" collects the tenants outside the top spenders (and features beyond the cap): it is no tenant and has no budget of its own; budget named tenants (the service\'s monthly_budget_usd covers the rest)',
      '7:26: services.demo.budgets.features._none: "_none" collects the calls the app did not attribute: it is no feature and has no budget of its own; budget named features (the service\'s monthly_budget_usd covers the rest)',
    ]);
  });

  it('reports malformed YAML and a missing or unknown version', () => {
    // The unclosed bracket is found where the text ends.
    expect(problems('version: 1\nservices:\n  demo: [\n')[0]).toMatch(/^4:1: Flow sequence in block collection must be sufficiently indented and end with a \]/);
    expect(problems('services: {}\n')).toEqual(['1:1: missing "version": Spec format version.']);
    expect(problems('version: 2\n')).toEqual(['1:10: version: 2 is not supported; write 1']);
  });
});

describe('npm run alerts', () => {
  const quiet = () => undefined;

  it("writes a spec's files under --out, and Modelwatch's defaults without --spec", async () => {
    const out = join(dir, 'overrides');
    expect(await main(['--spec', join(FIXTURES, 'overrides.yaml'), '--out', out], quiet, quiet)).toBe(0);
    expect(readFileSync(join(out, OUTPUT.alertRules), 'utf8')).toContain('job="api"');
    const defaults = join(dir, 'defaults');
    expect(await main(['--out', defaults], quiet, quiet)).toBe(0);
    expect(readFileSync(join(defaults, OUTPUT.recordingRules), 'utf8')).not.toContain('job=');
  });

  it('writes nothing for a spec with problems, and says each', async () => {
    const out = join(dir, 'bad');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nservices:\n  demo:\n    availability: { target: 100% }\n');
    const errors: string[] = [];
    expect(await main(['--spec', bad, '--out', out], quiet, (line) => errors.push(line))).toBe(1);
    expect(errors.join('\n')).toContain(`${bad}:4:29: services.demo.availability.target: "100%" is not a share between 0 and 1 (exclusive)`);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('asks for --out with --spec, so the committed files only change from demo/slos.yaml', async () => {
    const errors: string[] = [];
    expect(await main(['--spec', join(FIXTURES, 'overrides.yaml')], quiet, (line) => errors.push(line))).toBe(2);
    expect(errors[0]).toContain('--spec needs --out <dir>');
  });
});
