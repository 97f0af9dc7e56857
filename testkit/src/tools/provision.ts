/**
 * Makes sure the tools `npm start` or `npm test` need are there: finds each
 * one, and installs the missing ones from Debian when this user may (root, or
 * `sudo -n`), saying what it installs and why. When it may not (or
 * `MODELWATCH_NO_INSTALL=1`), it installs nothing and hands back the one
 * command that would. `npm start`, `npm test` and CI all come through here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DEBIAN_SERVICES, toolsFor, type Tool, type ToolId, type ToolPurpose } from './catalogue';
import { findOnPath } from './find-on-path';
import { debianPackages, installCommand, packageManager, type Host } from './install-command';
import { lookUpTool } from './resolve';

/** Set to 1 to never install anything (the missing tools are only reported). */
export const NO_INSTALL_ENV_VAR = 'MODELWATCH_NO_INSTALL';

export interface ProvisionOptions extends Host {
  purpose: ToolPurpose;
  /** Whether systemd manages services here. @defaultValue whether /run/systemd/system exists */
  systemd?: boolean;
  /** Where progress goes, a line at a time. @defaultValue console.log */
  log?: (line: string) => void;
}

export interface Provisioned {
  /** Every tool found (after any install), by id. */
  paths: Partial<Record<ToolId, string>>;
  /** `<TOOL>_BIN=path` of every tool found, for the processes started next (so they run the same programs). */
  env: Record<string, string>;
  /** Debian packages this call installed. */
  installed: string[];
  /** Tools still missing. */
  missing: Tool[];
  /** The one command that installs the missing tools; undefined when nothing is missing. */
  installCommand?: string;
}

export function provisionTools(options: ProvisionOptions): Provisioned {
  const env = options.env ?? process.env;
  const host = { platform: options.platform ?? process.platform, env, uid: options.uid ?? process.getuid?.() };
  const log = options.log ?? ((line: string) => console.log(line));
  const tools = toolsFor(options.purpose);

  const lookUpAll = () => tools.map((tool) => ({ tool, lookup: lookUpTool(tool.id, env, options.root) }));
  let found = lookUpAll();
  let missing = found.filter(({ lookup }) => !lookup.found).map(({ tool }) => tool);
  const installed: string[] = [];
  if (missing.length > 0) {
    const packages = debianPackages(missing);
    log(`Missing ${missing.map((tool) => tool.label).join(', ')}:`);
    for (const pkg of packages) log(`  ${pkg.padEnd(24)}${whyPackage(pkg, missing)}`);
    const installer = debianInstaller(host);
    if (env[NO_INSTALL_ENV_VAR] === '1') {
      log(`Not installing them (${NO_INSTALL_ENV_VAR}=1).`);
    } else if (!installer.ok) {
      log(`Not installing them: ${installer.reason}.`);
    } else if (aptInstall(installer.prefix, packages, host, log)) {
      installed.push(...packages);
      if (options.systemd ?? existsSync('/run/systemd/system')) stopServices(installer.prefix, packages, env, log);
      found = lookUpAll();
      missing = found.filter(({ lookup }) => !lookup.found).map(({ tool }) => tool);
    }
  }

  const paths: Partial<Record<ToolId, string>> = {};
  const childEnv: Record<string, string> = {};
  for (const { tool, lookup } of found) {
    if (!lookup.found) continue;
    paths[tool.id] = lookup.path;
    childEnv[tool.envVar] = lookup.path;
  }
  return { paths, env: childEnv, installed, missing, installCommand: missing.length > 0 ? installCommand(missing, host) : undefined };
}

function whyPackage(pkg: string, tools: readonly Tool[]): string {
  return tools
    .filter((tool) => tool.debian === pkg)
    .map((tool) => `${tool.label} ${tool.usedFor}`)
    .join('; ');
}

type Installer = { ok: true; prefix: string[] } | { ok: false; reason: string };

/** How this user can run apt-get: directly as root, through `sudo -n` when it needs no password, or not at all. */
function debianInstaller(host: Host & { env: NodeJS.ProcessEnv }): Installer {
  const manager = packageManager(host);
  if (manager !== 'apt') return { ok: false, reason: manager === 'brew' ? 'Homebrew installs are left to you' : 'no apt-get on this system' };
  if (host.uid === 0) return { ok: true, prefix: [] };
  if (!findOnPath('sudo', host.env)) return { ok: false, reason: 'not root, and no sudo' };
  const probe = spawnSync('sudo', ['-n', 'true'], { env: host.env, stdio: 'ignore' });
  return probe.status === 0 ? { ok: true, prefix: ['sudo', '-n'] } : { ok: false, reason: 'not root, and sudo asks for a password' };
}

function aptInstall(prefix: readonly string[], packages: readonly string[], host: Host, log: (line: string) => void): boolean {
  const started = Date.now();
  const apt = (args: readonly string[]) => {
    // sudo resets the environment, so the frontend goes through `env`.
    const [command, ...rest] = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
    return spawnSync(command as string, rest, { env: host.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  };
  log(`Installing from Debian: ${[...prefix, 'apt-get', 'install'].join(' ')} ${packages.join(' ')} …`);
  const update = apt(['update', '-qq']);
  const install = update.status === 0 ? apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]) : update;
  if (install.status !== 0) {
    const output = `${install.stdout ?? ''}${install.stderr ?? ''}${install.error ? install.error.message : ''}`.trim().split('\n').slice(-15);
    log(`apt-get failed (${install.error ? install.error.message : `exit ${install.status}`}):`);
    for (const line of output) log(`  ${line}`);
    return false;
  }
  log(`Installed ${packages.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return true;
}

/**
 * Debian starts the services of the packages just installed (on :9090 for
 * Prometheus, the port `npm start` uses). Modelwatch runs its own instances on
 * its own ports, so those services are stopped and disabled; only for the
 * packages this run installed.
 */
function stopServices(prefix: readonly string[], packages: readonly string[], env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  const services = packages.map((pkg) => DEBIAN_SERVICES[pkg]).filter((s): s is string => s !== undefined);
  if (services.length === 0 || !findOnPath('systemctl', env)) return;
  const [command, ...args] = [...prefix, 'systemctl', 'disable', '--now', ...services];
  const result = spawnSync(command as string, args, { env, stdio: 'ignore' });
  log(
    result.status === 0
      ? `Stopped and disabled the system services ${services.join(', ')}: Modelwatch starts its own instances on its own ports.`
      : `Could not stop the system services ${services.join(', ')} (${[command, ...args].join(' ')} exited ${result.status}); a port they hold will be reported when the stack starts.`,
  );
}
