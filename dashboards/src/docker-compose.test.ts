/**
 * docker-compose.yml (repo root) and its helper scripts (provisioning/compose),
 * checked without a Docker engine: Debian's `docker-compose config` validates
 * the file, every path a service mounts or runs is in the repo, and the
 * config-rendering scripts produce configs promtool and amtool accept.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { APP_PLUGIN_ID } from '@modelwatch/exporter/conventions';
import { checkConfig, checkPrometheusConfig, resolveTool } from '@modelwatch/stack';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './generated-files';
import { GRAFANA_DASHBOARDS_PATH } from './provisioning/dashboard-provider';
import { DATASOURCE_URL_ENV } from './provisioning/datasources';

interface Service {
  image?: string;
  command?: string | string[];
  entrypoint?: string | string[];
  working_dir?: string;
  volumes?: string[];
  environment?: Record<string, string>;
}

const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const composeText = readFileSync(COMPOSE_FILE, 'utf8');
const services = Object.entries((parse(composeText, { merge: true }) as { services: Record<string, Service> }).services);
const service = (name: string): Service => services.find(([n]) => n === name)?.[1] ?? {};

const GRAFANA_IMAGE = 'grafana/grafana:13.1.0';

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${command}: ${error.message}`));
        return;
      }
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** Bind mounts as [host path relative to the repo, container path]; named volumes and tmpfs are left out. */
function bindMounts(s: Service): [string, string][] {
  return (s.volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter(([source]) => source !== undefined && (source.startsWith('.') || isAbsolute(source)))
    .map(([source, target]) => [posix.normalize(source ?? ''), target ?? '']);
}

/** The repo file behind a container path: through the bind mounts, and from a build output (dist/*.js) to its source. */
function repoPathOf(containerPath: string, s: Service): string | undefined {
  const absolute = posix.isAbsolute(containerPath) ? containerPath : posix.join(s.working_dir ?? '/', containerPath);
  for (const [source, target] of bindMounts(s)) {
    if (absolute === target || absolute.startsWith(`${target}/`)) return posix.join(source, absolute.slice(target.length));
  }
  return undefined;
}

function sourceOf(repoPath: string): string {
  return repoPath.replace(/(^|\/)dist\//, '$1src/').replace(/\.js$/, '.ts');
}

/** Paths a service's command and entrypoint name: words that look like files, `--flag=` prefixes removed. */
function commandPaths(s: Service): string[] {
  const words = [s.entrypoint ?? [], s.command ?? []].flatMap((part) => (typeof part === 'string' ? [part] : part)).flatMap((part) => part.split(/\s+/));
  return words.map((word) => word.replace(/^-+[\w.-]+=/, '')).filter((word) => /^\/|\.(js|sh|ya?ml)$/.test(word) && word !== '/bin/sh');
}

describe('docker-compose.yml', () => {
  it('passes `docker-compose config -q`', async () => {
    const result = await run(resolveTool('docker-compose'), ['-f', COMPOSE_FILE, 'config', '-q']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('passes `docker-compose config -q` with the tracing and scale profiles on', async () => {
    const result = await run(resolveTool('docker-compose'), ['-f', COMPOSE_FILE, 'config', '-q'], { COMPOSE_PROFILES: 'tracing,scale' });
    expect(result.code, result.output).toBe(0);
  });

  it.each(services.map(([name, s]) => [name, s] as const))('%s runs a pinned image', (_, s) => {
    expect(s.image).toMatch(/^[\w./-]+:[\w.-]+$/);
    expect(s.image).not.toMatch(/:latest$/);
  });

  it.each(services.filter(([, s]) => bindMounts(s).length > 0).map(([name, s]) => [name, s] as const))('%s mounts only paths of the repo', (_, s) => {
    // plugin/dist is built by the plugin's toolchain; its source, plugin/src/plugin.json, must be there.
    const missing = bindMounts(s)
      .map(([source]) => (source === 'plugin/dist' ? 'plugin/src/plugin.json' : source))
      .filter((source) => !existsSync(join(REPO_ROOT, source)));
    expect(missing).toEqual([]);
  });

  it.each(services.map(([name, s]) => [name, s] as const))('%s runs files that are in the repo', (_, s) => {
    const missing = commandPaths(s)
      .map((path) => ({ path, repo: repoPathOf(path, s) }))
      .filter(({ repo }) => repo !== undefined && !existsSync(join(REPO_ROOT, repo)) && !existsSync(join(REPO_ROOT, sourceOf(repo))))
      .map(({ path }) => path);
    expect(missing).toEqual([]);
  });

  it('runs the demo, traffic and sink with the commands the tests run', () => {
    expect(service('demo').command).toEqual(['node', 'demo/dist/service/main.js']);
    expect(service('traffic').command?.slice(0, 2)).toEqual(['node', 'demo/dist/traffic/cli.js']);
    expect(service('sink').command).toEqual(['node', 'stack/dist/sink-cli.js']);
  });

  it('runs Grafana 13.1 with the app plugin mounted under its id and allowed unsigned', () => {
    const grafana = service('grafana');
    expect(grafana.image).toBe(GRAFANA_IMAGE);
    expect(bindMounts(grafana)).toContainEqual(['plugin/dist', `/var/lib/grafana/plugins/${APP_PLUGIN_ID}`]);
    expect(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(APP_PLUGIN_ID);
  });

  it('mounts the generated dashboards where the dashboard provider reads them, and the provisioning', () => {
    expect(bindMounts(service('grafana'))).toEqual(expect.arrayContaining([['dashboards/generated', GRAFANA_DASHBOARDS_PATH], ['provisioning', '/etc/grafana/provisioning']]));
  });

  it('gives Grafana every variable the provisioned data sources read', () => {
    expect(Object.keys(service('grafana').environment ?? {})).toEqual(expect.arrayContaining(Object.values(DATASOURCE_URL_ENV)));
  });

  it('documents every variable it reads in .env.example', () => {
    const documented = new Set([...readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const used = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('takes secrets only from the environment', () => {
    for (const [, s] of services) {
      for (const [name, value] of Object.entries(s.environment ?? {})) {
        // A `${VAR}` reference whose default is no secret: empty, `admin` (Grafana's first-login password, which it
        // asks to change), the local notification sink, or the sink's placeholder PagerDuty key.
        if (/PASSWORD|ROUTING_KEY|WEBHOOK|TOKEN|SECRET/.test(name)) expect(value, name).toMatch(/^\$\{[A-Z0-9_]+(:-(admin|http:\/\/sink:9099\/[a-z/-]+|modelwatchlocalsink0+)?)?\}$/);
      }
    }
  });

  it('gives Grafana a non-empty value for every variable its contact points read (it refuses empty ones)', () => {
    const contactPoints = readFileSync(join(REPO_ROOT, 'provisioning/alerting/modelwatch-contact-points.yaml'), 'utf8');
    const variables = [...new Set([...contactPoints.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!))];
    expect(variables.length).toBeGreaterThan(0);
    const grafana = services.find(([name]) => name === 'grafana')?.[1];
    for (const variable of variables) expect(grafana?.environment?.[variable], variable).toMatch(new RegExp(`^\\$\\{${variable}:-.+\\}$`));
  });
});

describe('compose config renderers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-compose-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const prometheusScript = join(REPO_ROOT, 'provisioning/compose/prometheus/render-config.sh');
  const alertmanagerScript = join(REPO_ROOT, 'provisioning/compose/alertmanager/render-config.sh');
  const prometheusConfig = join(REPO_ROOT, 'config/prometheus.yml');
  const alertmanagerConfig = join(REPO_ROOT, 'config/alertmanager.yml');

  it('runs config/prometheus.yml unchanged without a remote-write URL', async () => {
    const output = join(dir, 'prometheus-plain.yml');
    expect((await run('sh', [prometheusScript, prometheusConfig, output], { PROMETHEUS_REMOTE_WRITE_URL: '' })).code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(prometheusConfig, 'utf8'));
  });

  it('adds remote_write for the scale profile, and promtool accepts the result', async () => {
    const output = join(dir, 'prometheus-scale.yml');
    expect((await run('sh', [prometheusScript, prometheusConfig, output], { PROMETHEUS_REMOTE_WRITE_URL: 'http://victoriametrics:8428/api/v1/write' })).code).toBe(0);
    expect(parse(readFileSync(output, 'utf8')).remote_write).toEqual([{ url: 'http://victoriametrics:8428/api/v1/write' }]);
    const check = await checkPrometheusConfig(output);
    expect(check.ok, check.output).toBe(true);
  });

  it('delivers to the local sink when no PagerDuty or Slack secret is set, templates resolved, and amtool accepts the result', async () => {
    const output = join(dir, 'alertmanager-sink.yml');
    expect((await run('sh', [alertmanagerScript, alertmanagerConfig, output], { PAGERDUTY_ROUTING_KEY: '', SLACK_WEBHOOK_URL: '' })).code).toBe(0);
    const input = parse(readFileSync(alertmanagerConfig, 'utf8')) as { templates?: string[] };
    const expected = { ...input, ...(input.templates ? { templates: input.templates.map((t) => resolve(dirname(alertmanagerConfig), t)) } : {}) };
    const rendered = parse(readFileSync(output, 'utf8')) as { templates?: string[] };
    expect({ ...rendered, ...(rendered.templates ? { templates: rendered.templates.map((t) => resolve(t)) } : {}) }).toEqual(expected);
    const check = await checkConfig(output);
    expect(check.ok, check.output).toBe(true);
  });

  it('pages PagerDuty and posts to Slack with the secrets set, verbatim, and amtool accepts the result', async () => {
    const output = join(dir, 'alertmanager-real.yml');
    const secrets = { PAGERDUTY_ROUTING_KEY: "r0ut1ng'key&more", SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/x&y' };
    expect((await run('sh', [alertmanagerScript, alertmanagerConfig, output], secrets)).code).toBe(0);
    const rendered = parse(readFileSync(output, 'utf8')) as { receivers: { pagerduty_configs?: Record<string, string>[]; slack_configs?: Record<string, string>[] }[] };
    const pagerduty = rendered.receivers.flatMap((r) => r.pagerduty_configs ?? []);
    const slack = rendered.receivers.flatMap((r) => r.slack_configs ?? []);
    expect(pagerduty.length).toBeGreaterThan(0);
    expect(pagerduty.every((c) => c.routing_key === secrets.PAGERDUTY_ROUTING_KEY && c.url === undefined)).toBe(true);
    expect(slack.length).toBeGreaterThan(0);
    expect(slack.every((c) => c.api_url === secrets.SLACK_WEBHOOK_URL)).toBe(true);
    const check = await checkConfig(output);
    expect(check.ok, check.output).toBe(true);
  });
});
