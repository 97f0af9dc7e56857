/**
 * Every program from outside npm that Modelwatch runs, in one table: where to
 * find it, which package brings it (Debian and Homebrew), and who needs it.
 * `npm start`, `npm test`, CI and every test that starts one of them read it
 * from here, so a tool is found, installed and named the same way everywhere.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export type ToolId =
  | 'prometheus'
  | 'promtool'
  | 'alertmanager'
  | 'amtool'
  | 'chromium'
  | 'redis-server'
  | 'initdb'
  | 'pg_ctl'
  | 'victoria-metrics'
  | 'vmagent'
  | 'vmalert'
  | 'docker-compose';

/** What a tool is needed for: `start` is `npm start`'s stack, `test` is `npm test` (which needs every tool). */
export type ToolPurpose = 'start' | 'test';

export interface Tool {
  readonly id: ToolId;
  readonly label: string;
  /** Environment variable that names the program (absolute path or a name on the PATH), overriding the search. */
  readonly envVar: string;
  /** Names looked up on the PATH, Debian's first. */
  readonly commands: readonly string[];
  /** More places to look, for packages that keep the program off the PATH (under the file-system `root`). */
  readonly directories?: (root: string) => readonly string[];
  /** The Debian package that installs it. */
  readonly debian: string;
  /** The Homebrew formula (or `--cask name`) that installs it on macOS. */
  readonly homebrew: string;
  /** Why Modelwatch needs it, as printed before installing. */
  readonly usedFor: string;
  readonly neededBy: readonly ToolPurpose[];
}

/** Debian keeps each PostgreSQL major's server programs in /usr/lib/postgresql/<major>/bin; the newest first. */
function postgresDirectories(root: string): readonly string[] {
  const versions = join(root, 'usr/lib/postgresql');
  return newestFirst(versions).map((version) => join(versions, version, 'bin'));
}

function newestFirst(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

const START_AND_TEST: readonly ToolPurpose[] = ['start', 'test'];
const TEST: readonly ToolPurpose[] = ['test'];

export const TOOLS: readonly Tool[] = [
  {
    id: 'prometheus',
    label: 'Prometheus',
    envVar: 'PROMETHEUS_BIN',
    commands: ['prometheus'],
    debian: 'prometheus',
    homebrew: 'prometheus',
    usedFor: 'scrapes the demo and evaluates the recording and alert rules',
    neededBy: START_AND_TEST,
  },
  {
    id: 'promtool',
    label: 'promtool',
    envVar: 'PROMTOOL_BIN',
    commands: ['promtool'],
    debian: 'prometheus',
    homebrew: 'prometheus',
    usedFor: 'checks and unit-tests the generated rules',
    neededBy: TEST,
  },
  {
    id: 'alertmanager',
    label: 'Alertmanager',
    envVar: 'ALERTMANAGER_BIN',
    // Debian renames the upstream `alertmanager` binary.
    commands: ['prometheus-alertmanager', 'alertmanager'],
    debian: 'prometheus-alertmanager',
    homebrew: 'alertmanager',
    usedFor: 'routes the alerts to the PagerDuty and Slack stand-ins',
    neededBy: START_AND_TEST,
  },
  {
    id: 'amtool',
    label: 'amtool',
    envVar: 'AMTOOL_BIN',
    commands: ['amtool'],
    debian: 'prometheus-alertmanager',
    homebrew: 'alertmanager',
    usedFor: 'checks the Alertmanager configs, routes and templates',
    neededBy: TEST,
  },
  {
    id: 'chromium',
    label: 'Chromium',
    envVar: 'CHROMIUM_BIN',
    commands: ['chromium', 'chromium-browser'],
    directories: (root) => [join(root, 'Applications/Chromium.app/Contents/MacOS')],
    debian: 'chromium',
    homebrew: '--cask chromium',
    usedFor: "renders the Grafana app's pages in the browser tests",
    neededBy: TEST,
  },
  {
    id: 'redis-server',
    label: 'Redis',
    envVar: 'REDIS_SERVER_BIN',
    commands: ['redis-server'],
    debian: 'redis-server',
    homebrew: 'redis',
    usedFor: "backs the demo's Redis cache tests",
    neededBy: TEST,
  },
  {
    id: 'initdb',
    label: 'PostgreSQL initdb',
    envVar: 'INITDB_BIN',
    commands: ['initdb'],
    directories: postgresDirectories,
    debian: 'postgresql',
    homebrew: 'postgresql@17',
    usedFor: "backs the demo's PostgreSQL tests",
    neededBy: TEST,
  },
  {
    id: 'pg_ctl',
    label: 'PostgreSQL pg_ctl',
    envVar: 'PG_CTL_BIN',
    commands: ['pg_ctl'],
    directories: postgresDirectories,
    debian: 'postgresql',
    homebrew: 'postgresql@17',
    usedFor: "backs the demo's PostgreSQL tests",
    neededBy: TEST,
  },
  {
    id: 'victoria-metrics',
    label: 'VictoriaMetrics',
    envVar: 'VICTORIA_METRICS_BIN',
    commands: ['victoria-metrics', 'victoria-metrics-prod'],
    debian: 'victoria-metrics',
    homebrew: 'victoriametrics',
    usedFor: 'is the long-term store of the scale profile, tested through remote_write',
    neededBy: TEST,
  },
  {
    id: 'vmagent',
    label: 'vmagent',
    envVar: 'VMAGENT_BIN',
    commands: ['vmagent', 'vmagent-prod'],
    debian: 'victoria-metrics',
    homebrew: 'victoriametrics',
    usedFor: 'scrapes in shards on the scale path (npm start -- --scale)',
    neededBy: TEST,
  },
  {
    id: 'vmalert',
    label: 'vmalert',
    envVar: 'VMALERT_BIN',
    commands: ['vmalert', 'vmalert-prod'],
    debian: 'victoria-metrics',
    homebrew: 'victoriametrics',
    usedFor: 'evaluates the generated rules against VictoriaMetrics on the scale path',
    neededBy: TEST,
  },
  {
    id: 'docker-compose',
    label: 'docker-compose',
    envVar: 'DOCKER_COMPOSE_BIN',
    commands: ['docker-compose'],
    debian: 'docker-compose',
    homebrew: 'docker-compose',
    usedFor: 'validates docker-compose.yml (no Docker engine is needed)',
    neededBy: TEST,
  },
];

/**
 * System services the Debian packages enable on install. Modelwatch runs its own
 * instances on its own ports, and Debian's Prometheus would otherwise hold :9090.
 */
export const DEBIAN_SERVICES: Readonly<Record<string, string>> = {
  prometheus: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
  'redis-server': 'redis-server',
  postgresql: 'postgresql',
  'victoria-metrics': 'victoria-metrics',
};

export function toolById(id: ToolId): Tool {
  const tool = TOOLS.find((t) => t.id === id);
  if (!tool) throw new Error(`unknown tool ${id}`);
  return tool;
}

/** The tools `purpose` needs. */
export function toolsFor(purpose: ToolPurpose): Tool[] {
  return TOOLS.filter((tool) => tool.neededBy.includes(purpose));
}
