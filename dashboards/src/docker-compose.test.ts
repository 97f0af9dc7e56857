/**
 * docker-compose.yml (repo root) and its helper scripts (provisioning/compose),
 * checked without a Docker engine: Debian's `docker-compose config` validates
 * the file, every path a service mounts or runs is in the repo, and the
 * config-rendering scripts produce configs promtool and amtool accept.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { APP_PLUGIN_ID, FAILOVER_WEBHOOK } from '@modelwatch/conventions';
import { ALERT_RESEND_DELAY, checkConfig, checkPrometheusConfig, freePort, resolveTool, startProcess, VICTORIA_METRICS_ADMIN_KEY_FLAGS, type ManagedProcess } from '@modelwatch/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './generated-files';
import { GRAFANA_DASHBOARDS_PATH } from './provisioning/dashboard-provider';
import { DATASOURCE_URL_ENV } from './provisioning/datasources';

interface Service {
  image?: string;
  network_mode?: string;
  command?: string | string[];
  entrypoint?: string | string[];
  working_dir?: string;
  volumes?: string[];
  environment?: Record<string, string>;
  build?: { context: string; target: string };
}

const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const composeText = readFileSync(COMPOSE_FILE, 'utf8');
const services = Object.entries((parse(composeText, { merge: true }) as { services: Record<string, Service> }).services);
const service = (name: string): Service => services.find(([n]) => n === name)?.[1] ?? {};

const GRAFANA_IMAGE = 'grafana/grafana:13.1.0';
/** Where the generated Prometheus rules link to Grafana (alerting's SETTINGS.grafanaUrl). */
const PROMETHEUS_GRAFANA_BASE = 'http://localhost:3000/';

/** A stage of the Dockerfile: its base, working directory, environment, COPY instructions and RUN commands. */
interface Stage {
  name: string;
  from: string;
  workdir: string;
  env: Record<string, string>;
  copies: { from?: string; sources: string[]; dest: string }[];
  runs: string[];
}

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const stages: Stage[] = [];
for (const line of DOCKERFILE.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))) {
  const [instruction = '', ...args] = line.split(/\s+/);
  const stage = stages.at(-1);
  switch (instruction.toUpperCase()) {
    case 'FROM': {
      const parent = stages.find((st) => st.name === args[0]);
      stages.push({ name: args[2] ?? '', from: args[0] ?? '', workdir: parent?.workdir ?? '/', env: { ...parent?.env }, copies: [], runs: [] });
      break;
    }
    case 'WORKDIR':
      stage!.workdir = posix.resolve(stage!.workdir, args[0] ?? '');
      break;
    case 'ENV':
      for (const pair of args) stage!.env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
      break;
    case 'COPY': {
      const from = args.find((a) => a.startsWith('--from='))?.slice('--from='.length);
      const paths = args.filter((a) => !a.startsWith('--'));
      stage!.copies.push({ ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: posix.resolve(stage!.workdir, paths.at(-1) ?? '') + (paths.at(-1)?.endsWith('/') ? '/' : '') });
      break;
    }
    case 'RUN':
      stage!.runs.push(args.join(' '));
      break;
  }
}
const stage = (name: string): Stage => {
  const found = stages.find((st) => st.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};
/** The stage and the stages it is built on, base first. */
function stageChain(name: string): Stage[] {
  const chain = [stage(name)];
  for (let parent = stages.find((st) => st.name === chain[0]!.from); parent; parent = stages.find((st) => st.name === chain[0]!.from)) chain.unshift(parent);
  return chain;
}
/** What a stage's image holds from the build context: [repo path, image path] for each COPY of it. */
function imageCopies(name: string): [string, string][] {
  return stageChain(name).flatMap((st) =>
    st.copies.filter((c) => !c.from).flatMap((c) => c.sources.map((source): [string, string] => [posix.normalize(source), c.dest.endsWith('/') ? posix.join(c.dest, posix.basename(source)) : c.dest])),
  );
}

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
  for (const [source, target] of [...bindMounts(s), ...(s.build ? imageCopies(s.build.target) : [])]) {
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

  it.each(services.map(([name, s]) => [name, s] as const))('%s runs a pinned image (or one built on pinned images)', (_, s) => {
    expect(s.image).toMatch(/^[\w./-]+:[\w.-]+$/);
    expect(s.image).not.toMatch(/:latest$/);
    if (!s.build) return;
    expect(s.build.context).toBe('.');
    const bases = stageChain(s.build.target).map((st) => st.from).filter((from) => !stages.some((st) => st.name === from));
    for (const base of bases) expect(base).toMatch(/^[\w./-]+:[\w.-]+$/);
  });

  it.each(services.filter(([, s]) => bindMounts(s).length > 0).map(([name, s]) => [name, s] as const))('%s mounts only paths of the repo', (_, s) => {
    const missing = bindMounts(s)
      .map(([source]) => source)
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

  it('runs Grafana 13.1 with the app plugin built into its image under its id, outside the data volume, and allowed unsigned', () => {
    const grafana = service('grafana');
    expect(grafana.build?.target).toBe('grafana');
    const image = stage('grafana');
    expect(image.from).toBe(GRAFANA_IMAGE);
    // Grafana's image passes GF_PATHS_PLUGINS to the server as paths.plugins; app provisioning needs the plugin there
    // (pkg/services/provisioning/plugins/config_reader.go, validatePluginsConfig: "app plugin not installed" is fatal).
    const pluginsPath = image.env.GF_PATHS_PLUGINS!;
    expect(image.copies).toContainEqual({ from: 'plugin-build', sources: ['/app/plugin/dist'], dest: `${pluginsPath}/${APP_PLUGIN_ID}` });
    // A named volume keeps the files of its first start: the plugin must not live under one, or a rebuilt plugin would never show.
    for (const volume of grafana.volumes ?? []) expect(pluginsPath.startsWith(`${volume.split(':')[1]}/`), volume).toBe(false);
    // No host folder stands in for the plugin (a missing bind source becomes an empty folder and Grafana restart-loops).
    expect(bindMounts(grafana).map(([source]) => source)).not.toContain('plugin/dist');
    expect(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(APP_PLUGIN_ID);
    // The plugin stage runs the production webpack step of the plugin's own build script.
    const pluginBuild = JSON.parse(readFileSync(join(REPO_ROOT, 'plugin/package.json'), 'utf8')).scripts.build as string;
    const webpack = pluginBuild.split(' && ')[0]!;
    expect(stage('plugin-build').runs.join(' ')).toContain(`cd plugin && npx ${webpack}`);
  });

  it('builds the Node services inside the image from the lockfile, with no host node_modules, dist or .env in the build', () => {
    const build = stageChain('node-services');
    const runs = build.flatMap((st) => st.runs);
    expect(runs.some((run) => run.startsWith('npm ci '))).toBe(true);
    expect(runs.some((run) => /tsc -b .*demo/.test(run) && run.includes('stack'))).toBe(true);
    for (const name of ['sink', 'demo', 'traffic']) {
      const s = service(name);
      expect(s.build, name).toEqual({ context: '.', target: 'node-services' });
      expect(bindMounts(s), name).toEqual([]);
    }
    // Every workspace manifest goes in before `npm ci` (it checks the lockfile against all of them).
    const workspaces = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).workspaces as string[];
    const manifests = imageCopies('manifests').map(([source]) => source);
    expect(manifests).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)]));
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', '**/node_modules', '**/dist']));
  });

  it('mounts the generated dashboards where the dashboard provider reads them, and the provisioning', () => {
    expect(bindMounts(service('grafana'))).toEqual(expect.arrayContaining([['dashboards/generated', GRAFANA_DASHBOARDS_PATH], ['provisioning', '/etc/grafana/provisioning']]));
  });

  it("puts the dashboards in the folder Grafana's alerting provisioning creates for the rules: one folder, one uid", () => {
    // Alerting is provisioned first and creates the rules' folder by title with a random uid (rules_provisioner.go,
    // getOrCreateFolderByTitle); a provider with a folderUid looks that uid up, misses, and creates a second folder
    // (dashboards/file_reader.go, getOrCreateFolder). By title, both land in the one folder.
    const providers = (parse(readFileSync(join(REPO_ROOT, 'provisioning/dashboards/modelwatch.yaml'), 'utf8')) as { providers: Record<string, unknown>[] }).providers;
    const ruleFolders = new Set((parse(readFileSync(join(REPO_ROOT, 'provisioning/alerting/modelwatch-rules.yaml'), 'utf8')) as { groups: { folder: string }[] }).groups.map((group) => group.folder));
    expect(providers).toHaveLength(1);
    expect(providers[0]).not.toHaveProperty('folderUid');
    expect(providers[0]!.foldersFromFilesStructure ?? (providers[0]!.options as Record<string, unknown>).foldersFromFilesStructure).toBe(false);
    expect([...ruleFolders]).toEqual([providers[0]!.folder]);
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
        // A `${VAR}` reference whose default is no secret: empty, the local notification sink, or the local failover
        // webhook's published placeholder (never a password such as `admin`).
        if (/PASSWORD|ROUTING_KEY|WEBHOOK|TOKEN|SECRET/.test(name)) {
          expect(value, name).toMatch(new RegExp(`^\\$\\{[A-Z0-9_]+(:-(http://sink:9099/[a-z/-]+|${FAILOVER_WEBHOOK.localToken})?)?\\}$`));
        }
      }
    }
  });

  it('gives Grafana a non-empty value for every variable its alerting provisioning reads (it refuses empty ones)', async () => {
    const alerting = readdirSync(join(REPO_ROOT, 'provisioning/alerting')).map((file) => readFileSync(join(REPO_ROOT, 'provisioning/alerting', file), 'utf8')).join('\n');
    const variables = [...new Set([...alerting.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!))];
    expect(variables.length).toBeGreaterThan(0);
    // What Grafana's process sees with no secret in .env: compose's defaults, then what start.sh sets.
    const started = await startGrafanaScript({ ...composeDefaults(service('grafana')), GF_SECURITY_ADMIN_PASSWORD: 'a-password' });
    for (const variable of variables) expect(started.env[variable], variable).toMatch(/.+/);
  });

  it('mounts neither the repo root nor anything holding .env, which git ignores', () => {
    for (const [name, s] of services) {
      for (const [source] of bindMounts(s)) {
        expect(source, name).not.toBe('.');
        expect(existsSync(join(REPO_ROOT, source, '.env')), `${name} mounts ${source}`).toBe(false);
      }
    }
    expect(execFileSync('git', ['check-ignore', '.env'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()).toBe('.env');
  });

  describe('the Node services run from what their image holds alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'modelwatch-compose-mounts-'));
    const started: ManagedProcess[] = [];
    afterAll(async () => {
      await Promise.all(started.map((child) => child.stop()));
      rmSync(root, { recursive: true, force: true });
    });
    /** A service's compose command run in a copy of its /app (links to what the Dockerfile copies in only), from a compose-like environment. */
    const runService = async (name: string, env: Record<string, string>, args: (command: string[]) => string[], readyUrl?: string) => {
      const s = service(name);
      const command = args(s.command as string[]);
      const child = await startProcess({
        name,
        command: process.execPath,
        // Module paths stay inside the copy: what is not mounted cannot be found through the repo.
        args: ['--preserve-symlinks', '--preserve-symlinks-main', ...command.slice(1)],
        cwd: imageApp(s, join(root, name)),
        env: { PATH: process.env.PATH, ...env },
        ...(readyUrl ? { ready: { url: readyUrl, timeoutMs: 30_000 } } : {}),
      });
      started.push(child);
      return child;
    };

    it('sink, demo and traffic', async () => {
      const sinkPort = await freePort();
      await runService('sink', { SINK_PORT: String(sinkPort) }, (command) => command, `http://127.0.0.1:${sinkPort}/-/healthy`);
      const demoPort = await freePort();
      const demoData = join(root, 'demo-data');
      mkdirSync(demoData);
      const demoEnv = { ...composeDefaults(service('demo')), PORT: String(demoPort), HOST: '127.0.0.1', DATA_DIR: demoData, FAKE_PROVIDER_TIME_SCALE: '0.01', OTEL_SDK_DISABLED: 'true' };
      await runService('demo', demoEnv, (command) => command, `http://127.0.0.1:${demoPort}/readyz`);
      const traffic = await runService('traffic', {}, (command) =>
        command.map((word, i) => (command[i - 1] === '--target' ? `http://127.0.0.1:${demoPort}` : command[i - 1] === '--duration' ? '2s' : command[i - 1] === '--users' ? '1' : word)),
      );
      expect(await traffic.exited, traffic.logs()).toEqual({ code: 0, signal: null });
    }, 120_000);
  });

  it('starts Grafana only with an admin password other than admin', async () => {
    for (const env of [{}, { GF_SECURITY_ADMIN_PASSWORD: '' }, { GF_SECURITY_ADMIN_PASSWORD: 'admin' }] as Record<string, string>[]) {
      const started = await startGrafanaScript(env);
      expect(started.code, JSON.stringify(env)).toBe(1);
      expect(started.output).toMatch(/^grafana: refusing to start with(out an admin password| the admin password 'admin')/);
    }
    expect((await startGrafanaScript({ GF_SECURITY_ADMIN_PASSWORD: 'a-password' })).code).toBe(0);
    expect((await startGrafanaScript({ GF_SECURITY_ADMIN_PASSWORD__FILE: '/run/secrets/grafana_admin_password' })).code).toBe(0);
  });

  it('sends every Grafana contact point to the notification sink when .env sets no secret, each to the endpoint of its kind', async () => {
    const contactPoints = parse(readFileSync(join(REPO_ROOT, 'provisioning/alerting/modelwatch-contact-points.yaml'), 'utf8')) as { contactPoints: { receivers: { type: string; settings: Record<string, string> }[] }[] };
    const started = await startGrafanaScript({ ...composeDefaults(service('grafana')), GF_SECURITY_ADMIN_PASSWORD: 'a-password' });
    // Grafana expands ${VAR} from its environment in provisioning values (docs: administration/provisioning, "Environment variables").
    const expand = (value: string) => value.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => started.env[name] ?? '');
    const endpoint: Record<string, RegExp> = { pagerduty: /^http:\/\/sink:9099\/pagerduty\/v2\/enqueue$/, slack: /^http:\/\/sink:9099\/slack\/[\w-]+$/, webhook: /^http:\/\/sink:9099\/webhook\/[\w-]+$/ };
    const receivers = contactPoints.contactPoints.flatMap((point) => point.receivers);
    expect(new Set(receivers.map((receiver) => receiver.type))).toEqual(new Set(Object.keys(endpoint)));
    // Every integration posts to its `url` (PagerDuty's defaults to events.pagerduty.com when empty: grafana/alerting receivers/pagerduty/v1/config.go, DefaultURL).
    for (const receiver of receivers) expect(expand(receiver.settings.url ?? ''), receiver.type).toMatch(endpoint[receiver.type]!);
    // The sink answers them: it listens on every interface of its namespace and accepts the name Grafana uses.
    expect(service('sink').environment).toMatchObject({ SINK_PORT: '9099', SINK_HOST: '0.0.0.0', SINK_ALLOWED_HOSTS: 'sink' });
  });

  it("sends Grafana's PagerDuty contact point to the sink without a routing key, to PagerDuty with one", async () => {
    const contactPoints = parse(readFileSync(join(REPO_ROOT, 'provisioning/alerting/modelwatch-contact-points.yaml'), 'utf8')) as { contactPoints: { receivers: { type: string; settings: Record<string, string> }[] }[] };
    const pagerduty = contactPoints.contactPoints.flatMap((point) => point.receivers).filter((receiver) => receiver.type === 'pagerduty');
    expect(pagerduty.length).toBeGreaterThan(0);
    // Grafana's PagerDuty integration posts to its `url` setting (empty: PagerDuty's own Events API; grafana/alerting, receivers/pagerduty/v1/config.go).
    for (const receiver of pagerduty) expect(receiver.settings).toMatchObject({ integrationKey: '${PAGERDUTY_ROUTING_KEY}', url: '${PAGERDUTY_URL}' });
    const alertmanagerPlaceholder = (parse(readFileSync(join(REPO_ROOT, 'config/alertmanager.yml'), 'utf8')) as { receivers: { pagerduty_configs?: { routing_key: string }[] }[] }).receivers.flatMap((r) => r.pagerduty_configs ?? [])[0]?.routing_key;
    const local = await startGrafanaScript({ GF_SECURITY_ADMIN_PASSWORD: 'a-password', PAGERDUTY_ROUTING_KEY: '' });
    expect(local.env).toMatchObject({ PAGERDUTY_URL: 'http://sink:9099/pagerduty/v2/enqueue', PAGERDUTY_ROUTING_KEY: alertmanagerPlaceholder });
    const real = await startGrafanaScript({ GF_SECURITY_ADMIN_PASSWORD: 'a-password', PAGERDUTY_ROUTING_KEY: 'r'.repeat(32) });
    expect(real.env).toMatchObject({ PAGERDUTY_URL: 'https://events.pagerduty.com/v2/enqueue', PAGERDUTY_ROUTING_KEY: 'r'.repeat(32) });
    // The sink answers Grafana, which reaches it by its service name from another network namespace.
    expect(service('sink').environment).toMatchObject({ SINK_HOST: '0.0.0.0', SINK_ALLOWED_HOSTS: 'sink' });
  });

  it('notifies through one path: Grafana\'s rules paused unless MODELWATCH_NOTIFIER=grafana, which keeps Alertmanager on the sink', async () => {
    for (const name of ['grafana', 'alertmanager']) expect(service(name).environment?.MODELWATCH_NOTIFIER, name).toBe('${MODELWATCH_NOTIFIER:-alertmanager}');
    // Grafana expands ${VAR} in isPaused, then parses a boolean (pkg/services/provisioning/values/values.go, BoolValue.UnmarshalYAML).
    const rules = parse(readFileSync(join(REPO_ROOT, 'provisioning/alerting/modelwatch-rules.yaml'), 'utf8')) as { groups: { rules: { isPaused: unknown }[] }[] };
    expect(new Set(rules.groups.flatMap((group) => group.rules.map((rule) => rule.isPaused)))).toEqual(new Set(['${MODELWATCH_GRAFANA_RULES_PAUSED}']));
    const env = { ...composeDefaults(service('grafana')), GF_SECURITY_ADMIN_PASSWORD: 'a-password' };
    expect((await startGrafanaScript(env)).env.MODELWATCH_GRAFANA_RULES_PAUSED).toBe('true');
    expect((await startGrafanaScript({ ...env, MODELWATCH_NOTIFIER: 'grafana' })).env.MODELWATCH_GRAFANA_RULES_PAUSED).toBe('false');
    const both = await startGrafanaScript({ ...env, MODELWATCH_NOTIFIER: 'both' });
    expect(both.code).toBe(1);
    expect(both.output).toMatch(/MODELWATCH_NOTIFIER must be alertmanager or grafana/);
  });

  it('gives Grafana its root URL on the published port, so its links follow GRAFANA_PORT', () => {
    const grafana = service('grafana');
    expect(grafana.environment?.GF_SERVER_ROOT_URL).toBe('http://localhost:${GRAFANA_PORT:-3000}/');
    expect((grafana as { ports?: string[] }).ports).toEqual(['127.0.0.1:${GRAFANA_PORT:-3000}:3000']);
    const resolved = execFileSync(resolveTool('docker-compose'), ['-f', COMPOSE_FILE, 'config'], { cwd: REPO_ROOT, env: { ...process.env, GRAFANA_PORT: '3123' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const config = parse(resolved) as { services: Record<string, Service> };
    expect(config.services.grafana?.environment?.GF_SERVER_ROOT_URL).toBe('http://localhost:3123/');
  });

  it('traces only with the tracing profile: the demo gets a collector endpoint and the SDK on only from .env\'s tracing block', () => {
    // An empty env file, so a developer's .env does not change what is checked.
    const emptyEnv = join(mkdtempSync(join(tmpdir(), 'modelwatch-compose-env-')), '.env');
    writeFileSync(emptyEnv, '');
    const resolved = (env: Record<string, string>) =>
      (parse(execFileSync(resolveTool('docker-compose'), ['--env-file', emptyEnv, '-f', COMPOSE_FILE, 'config'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { services: Record<string, Service & { profiles?: string[] }> }).services;
    const plain = resolved({});
    for (const name of ['otel-collector', 'tempo']) expect(plain[name]?.profiles, name).toEqual(['tracing']);
    // Without the profile: no endpoint, no tracer provider (OTEL_SDK_DISABLED, honoured by demo/src/service/tracing.ts).
    expect(plain.demo?.environment).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SDK_DISABLED: 'true' });
    // .env.example's tracing block, uncommented, turns the profile and both variables on together.
    const block = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').split('# Tracing profile')[1] ?? '';
    const tracing = Object.fromEntries([...block.matchAll(/^# ([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(tracing).toEqual({ COMPOSE_PROFILES: 'tracing', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_SDK_DISABLED: 'false' });
    const traced = resolved(tracing);
    expect(traced.demo?.environment).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_SDK_DISABLED: 'false' });
    // The collector's OTLP/HTTP receiver listens on the endpoint's port.
    expect(readFileSync(join(REPO_ROOT, 'provisioning/compose/otel-collector/config.yaml'), 'utf8')).toContain('endpoint: 0.0.0.0:4318');
  });

  it("publishes no Alertmanager port on the host: its API grants every web origin CORS, which no flag narrows", () => {
    const published = services.flatMap(([, s]) => (s as { ports?: string[] }).ports ?? []);
    expect(published.filter((port) => port.endsWith(':9093'))).toEqual([]);
    expect(published.length).toBeGreaterThan(0);
  });

  it('runs Prometheus without the lifecycle API, with CORS for its own page only, and re-sending alerts as the local stack does', () => {
    const command = [service('prometheus').command ?? []].flat().join(' ');
    expect(command).toContain(`--rules.alert.resend-delay=${ALERT_RESEND_DELAY}`);
    expect(command).not.toContain('--web.enable-lifecycle');
    expect(command).toContain("'--web.cors.origin=http://(127\\.0\\.0\\.1|localhost):${PROMETHEUS_PORT:-9090}'");
  });

  it('runs VictoriaMetrics (scale profile) refusing series deletion, snapshots and forced merges', async () => {
    const vm = service('victoriametrics');
    expect(vm.entrypoint).toEqual(['/bin/sh', '-c']);
    const port = await freePort();
    const storage = mkdtempSync(join(tmpdir(), 'modelwatch-compose-vm-'));
    // The compose command as the container's shell gets it ($$ is compose's escape for $), on Debian's binary and a loopback port.
    const script = [vm.command ?? []]
      .flat()
      .join(' ')
      .replaceAll('$$', '$')
      .replace('/victoria-metrics-prod', resolveTool('victoria-metrics'))
      .replace('-storageDataPath=/storage', `-storageDataPath=${storage}`)
      .replace('-httpListenAddr=:8428', `-httpListenAddr=127.0.0.1:${port}`);
    for (const flag of VICTORIA_METRICS_ADMIN_KEY_FLAGS) expect(script).toContain(`${flag}=$key`);
    const child = await startProcess({ name: 'victoria-metrics', command: 'sh', args: ['-c', script], ready: { url: `http://127.0.0.1:${port}/health`, timeoutMs: 30_000 } });
    try {
      const deletion = await fetch(`http://127.0.0.1:${port}/api/v1/admin/tsdb/delete_series?match[]=up`, { method: 'POST' });
      expect(deletion.ok).toBe(false);
      expect(await deletion.text()).toMatch(/authKey/);
    } finally {
      await child.stop();
      rmSync(storage, { recursive: true, force: true });
    }
  });
});

/** The `${VAR:-default}` environment entries of a service with their defaults, as compose fills them from an empty .env. */
function composeDefaults(s: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([name, value]) => [name, /^\$\{[A-Z0-9_]+(?::-(.*))?\}$/.exec(value)?.[1] ?? value]));
}

/** Runs provisioning/compose/grafana/start.sh with `env` as its command: its exit code, output and the environment it hands Grafana. */
async function startGrafanaScript(env: Record<string, string>): Promise<{ code: number; output: string; env: Record<string, string> }> {
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile('sh', [join(REPO_ROOT, 'provisioning/compose/grafana/start.sh'), 'env'], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stderr}${stdout}` }),
    );
  });
  const exported = Object.fromEntries(result.output.split('\n').flatMap((line) => (/^[A-Z_][A-Z0-9_]*=/.test(line) ? [[line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]] : [])));
  return { ...result, env: exported };
}

/**
 * The service's /app as its image makes it, on this machine: each folder or
 * file the Dockerfile copies in a link into the repo, node_modules (what
 * `npm ci` installs in the image) a folder of links whose @modelwatch entries
 * point back into this tree (as npm's workspace links do inside the image), so
 * a workspace the service runs but the image lacks is missing. The workspaces'
 * dist/ come from this machine's build (the image builds its own).
 */
function imageApp(s: Service, root: string): string {
  const app = join(root, 'app');
  mkdirSync(app, { recursive: true });
  const copies = imageCopies(s.build!.target).filter(([, target]) => target.startsWith('/app/'));
  const folders = copies.filter(([source]) => statSync(join(REPO_ROOT, source)).isDirectory()).map(([, target]) => target);
  for (const [source, target] of copies) {
    // A file inside a folder copied whole is already there.
    if (folders.some((folder) => target.startsWith(`${folder}/`))) continue;
    const at = join(app, target.slice('/app/'.length));
    mkdirSync(dirname(at), { recursive: true });
    if (!existsSync(at)) symlinkSync(join(REPO_ROOT, source), at);
  }
  const modules = join(app, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (entry !== '@modelwatch') {
      symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(modules, entry));
      continue;
    }
    mkdirSync(join(modules, entry));
    for (const workspace of readdirSync(join(REPO_ROOT, 'node_modules', entry))) symlinkSync(readlinkSync(join(REPO_ROOT, 'node_modules', entry, workspace)), join(modules, entry, workspace));
  }
  return app;
}

describe('compose config renderers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-compose-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const prometheusScript = join(REPO_ROOT, 'provisioning/compose/prometheus/render-config.sh');
  const alertmanagerScript = join(REPO_ROOT, 'provisioning/compose/alertmanager/render-config.sh');
  const prometheusConfig = join(REPO_ROOT, 'config/prometheus.yml');
  const alertmanagerConfig = join(REPO_ROOT, 'config/alertmanager.yml');

  /** The rule files config/prometheus.yml loads, relative to the repo (alerting/generated/prometheus/*.yml). */
  const ruleFiles = readdirSync(join(REPO_ROOT, 'alerting/generated/prometheus')).filter((file) => file.endsWith('.yml')).map((file) => `alerting/generated/prometheus/${file}`);

  it('runs config/prometheus.yml and its rules unchanged without a remote-write or Grafana URL', async () => {
    const output = join(dir, 'plain', 'config', 'prometheus.yml');
    expect((await run('sh', [prometheusScript, prometheusConfig, output], { PROMETHEUS_REMOTE_WRITE_URL: '', MODELWATCH_GRAFANA_URL: '' })).code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(prometheusConfig, 'utf8'));
    expect(ruleFiles.length).toBeGreaterThan(0);
    for (const file of ruleFiles) expect(readFileSync(join(dir, 'plain', file), 'utf8')).toBe(readFileSync(join(REPO_ROOT, file), 'utf8'));
  });

  it("links the rules to Grafana's root URL (compose: the published GRAFANA_PORT), and promtool accepts them", async () => {
    // The generated rules link to alerting's SETTINGS.grafanaUrl, the origin the renderer replaces (pinned on alerting's side too).
    const generated = readFileSync(join(REPO_ROOT, 'alerting/generated/prometheus/alert-rules.yml'), 'utf8');
    expect(generated).toContain(`dashboard_url: ${PROMETHEUS_GRAFANA_BASE}d/`);
    expect(service('prometheus').environment?.MODELWATCH_GRAFANA_URL).toBe(service('grafana').environment?.GF_SERVER_ROOT_URL);
    const output = join(dir, 'port', 'config', 'prometheus.yml');
    const url = 'http://localhost:3123/grafana&co/';
    expect((await run('sh', [prometheusScript, prometheusConfig, output], { MODELWATCH_GRAFANA_URL: url })).code).toBe(0);
    const rendered = readFileSync(join(dir, 'port', 'alerting/generated/prometheus/alert-rules.yml'), 'utf8');
    expect(rendered).not.toContain('localhost:3000');
    expect(rendered).toBe(generated.replaceAll(PROMETHEUS_GRAFANA_BASE, url));
    const check = await checkPrometheusConfig(output);
    expect(check.ok, check.output).toBe(true);
  });

  it('adds remote_write for the scale profile, and promtool accepts the result', async () => {
    const output = join(dir, 'scale', 'config', 'prometheus.yml');
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

  it('reads the failover webhook token from a file when one is set, and keeps the placeholder otherwise', async () => {
    const output = join(dir, 'alertmanager-failover.yml');
    expect((await run('sh', [alertmanagerScript, alertmanagerConfig, output], { FAILOVER_WEBHOOK_TOKEN: 'f'.repeat(32) })).code).toBe(0);
    const rendered = readFileSync(output, 'utf8');
    expect(rendered).not.toContain(FAILOVER_WEBHOOK.localToken);
    expect(rendered).not.toContain('f'.repeat(32));
    const file = /credentials_file: '([^']+failover_webhook_token)'/.exec(rendered)?.[1];
    expect(file && readFileSync(file, 'utf8')).toBe('f'.repeat(32));
    expect(readFileSync(alertmanagerConfig, 'utf8')).toContain(`credentials: ${FAILOVER_WEBHOOK.localToken}`);
    const check = await checkConfig(output);
    expect(check.ok, check.output).toBe(true);
  });

  it('keeps every receiver on the local sink when Grafana notifies (MODELWATCH_NOTIFIER=grafana), secrets set or not', async () => {
    const sink = join(dir, 'alertmanager-sink-only.yml');
    expect((await run('sh', [alertmanagerScript, alertmanagerConfig, sink], { PAGERDUTY_ROUTING_KEY: '', SLACK_WEBHOOK_URL: '' })).code).toBe(0);
    const output = join(dir, 'alertmanager-grafana-notifies.yml');
    const result = await run('sh', [alertmanagerScript, alertmanagerConfig, output], { PAGERDUTY_ROUTING_KEY: 'r'.repeat(32), SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/x', MODELWATCH_NOTIFIER: 'grafana' });
    expect(result.code, result.output).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(sink, 'utf8'));
    expect((await run('sh', [alertmanagerScript, alertmanagerConfig, output], { MODELWATCH_NOTIFIER: 'both' })).code).toBe(1);
  });

  it('pages PagerDuty and posts to Slack with the secrets set, read from files of their own (never inline), and amtool accepts the result', async () => {
    const output = join(dir, 'alertmanager-real.yml');
    const secrets = { PAGERDUTY_ROUTING_KEY: "r0ut1ng'key&more", SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/x&y' };
    expect((await run('sh', [alertmanagerScript, alertmanagerConfig, output], secrets)).code).toBe(0);
    const text = readFileSync(output, 'utf8');
    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    const rendered = parse(text) as { receivers: { pagerduty_configs?: Record<string, string>[]; slack_configs?: Record<string, string>[] }[] };
    const pagerduty = rendered.receivers.flatMap((r) => r.pagerduty_configs ?? []);
    const slack = rendered.receivers.flatMap((r) => r.slack_configs ?? []);
    expect(pagerduty.length).toBeGreaterThan(0);
    expect(slack.length).toBeGreaterThan(0);
    for (const c of pagerduty) expect([c.routing_key, c.url, typeof c.routing_key_file]).toEqual([undefined, undefined, 'string']);
    for (const c of slack) expect([c.api_url, typeof c.api_url_file]).toEqual([undefined, 'string']);
    const secretFiles = { [pagerduty[0]!.routing_key_file!]: secrets.PAGERDUTY_ROUTING_KEY, [slack[0]!.api_url_file!]: secrets.SLACK_WEBHOOK_URL };
    for (const [file, secret] of Object.entries(secretFiles)) {
      expect(readFileSync(file, 'utf8')).toBe(secret);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
    const check = await checkConfig(output);
    expect(check.ok, check.output).toBe(true);
  });
});
