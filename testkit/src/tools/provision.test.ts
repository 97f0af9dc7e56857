/**
 * Provisioning on a machine whose tools are absent: the PATH holds only stand-ins
 * for apt-get, sudo and systemctl (node scripts that log each call, and whose
 * apt-get "installs" a package by writing its programs into a bin directory on
 * that PATH), so every install step is observable and nothing touches the system.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debianPackages } from './install-command';
import { toolsFor } from './catalogue';
import { NO_INSTALL_ENV_VAR, provisionTools, type ProvisionOptions } from './provision';

/** What the Debian packages put on the PATH, as far as Modelwatch looks. */
const PROGRAMS: Record<string, string[]> = {
  prometheus: ['prometheus', 'promtool'],
  'prometheus-alertmanager': ['prometheus-alertmanager', 'amtool'],
  chromium: ['chromium'],
  'redis-server': ['redis-server'],
  postgresql: ['initdb', 'pg_ctl'],
  'victoria-metrics': ['victoria-metrics', 'vmagent', 'vmalert'],
  'docker-compose': ['docker-compose'],
};

interface Call {
  argv: string[];
  frontend?: string;
}

let dir: string;
let systemBin: string;
let installedBin: string;
let callLog: string;

function script(name: string, body: string): void {
  const file = join(systemBin, name);
  writeFileSync(file, `#!${process.execPath}\nconst fs = require('node:fs');\nconst log = (argv) => fs.appendFileSync(${JSON.stringify(callLog)}, JSON.stringify({ argv, frontend: process.env.DEBIAN_FRONTEND }) + '\\n');\n${body}\n`);
  chmodSync(file, 0o755);
}

/** apt-get that logs its calls, exits `failWith` on install when given, else writes each package's programs. */
function fakeApt({ failWith }: { failWith?: number } = {}): void {
  script(
    'apt-get',
    `const argv = process.argv.slice(2); log(['apt-get', ...argv]);
if (argv[0] === 'install') {
  ${failWith === undefined ? '' : `console.error('E: Unable to locate package'); process.exit(${failWith});`}
  const programs = ${JSON.stringify(PROGRAMS)};
  for (const pkg of argv.filter((a) => !a.startsWith('-') && a !== 'install')) {
    for (const p of programs[pkg]) { fs.writeFileSync(${JSON.stringify(installedBin)} + '/' + p, '#!/bin/sh\\n'); fs.chmodSync(${JSON.stringify(installedBin)} + '/' + p, 0o755); }
  }
}`,
  );
}

/** sudo that lets `-n` through without a password when `allowed`, and otherwise refuses as sudo does. */
function fakeSudo({ allowed }: { allowed: boolean }): void {
  script(
    'sudo',
    `const argv = process.argv.slice(2); log(['sudo', ...argv]);
if (!${allowed}) { console.error('sudo: a password is required'); process.exit(1); }
const [flag, command, ...rest] = argv;
if (flag !== '-n') process.exit(2);
if (command === 'true') process.exit(0);
const r = require('node:child_process').spawnSync(command, rest, { stdio: 'inherit' });
process.exit(r.status ?? 1);`,
  );
}

function calls(): Call[] {
  if (!existsSync(callLog)) return [];
  return readFileSync(callLog, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Call);
}

function provision(options: Partial<ProvisionOptions> & Pick<ProvisionOptions, 'purpose'>): { result: ReturnType<typeof provisionTools>; lines: string[] } {
  const lines: string[] = [];
  const result = provisionTools({ platform: 'linux', uid: 0, systemd: false, root: dir, env: { PATH: `${systemBin}:${installedBin}` }, log: (line) => lines.push(line), ...options });
  return { result, lines };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'modelwatch-provision-'));
  systemBin = join(dir, 'system-bin');
  installedBin = join(dir, 'installed-bin');
  callLog = join(dir, 'calls.jsonl');
  mkdirSync(systemBin);
  mkdirSync(installedBin);
  // `env` runs apt-get with the frontend set (through sudo too, which resets the environment).
  symlinkSync('/usr/bin/env', join(systemBin, 'env'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('provisionTools', () => {
  it("as root, installs what npm start needs from Debian, says why, and hands the programs' paths on", () => {
    fakeApt();
    const { result, lines } = provision({ purpose: 'start' });

    expect(calls()).toEqual([
      { argv: ['apt-get', 'update', '-qq'], frontend: 'noninteractive' },
      { argv: ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'prometheus', 'prometheus-alertmanager'], frontend: 'noninteractive' },
    ]);
    expect(result.installed).toEqual(['prometheus', 'prometheus-alertmanager']);
    expect(result.missing).toEqual([]);
    expect(result.installCommand).toBeUndefined();
    expect(result.paths).toEqual({ prometheus: join(installedBin, 'prometheus'), alertmanager: join(installedBin, 'prometheus-alertmanager') });
    expect(result.env).toEqual({ PROMETHEUS_BIN: join(installedBin, 'prometheus'), ALERTMANAGER_BIN: join(installedBin, 'prometheus-alertmanager') });
    expect(lines[0]).toBe('Missing Prometheus, Alertmanager:');
    expect(lines[1]).toMatch(/^ {2}prometheus +Prometheus scrapes the demo/);
    expect(lines[2]).toMatch(/^ {2}prometheus-alertmanager +Alertmanager routes the alerts/);
    expect(lines[3]).toBe('Installing from Debian: apt-get install prometheus prometheus-alertmanager …');
    expect(lines[4]).toMatch(/^Installed prometheus, prometheus-alertmanager in \d+ s\.$/);
  });

  it('for npm test installs every Debian package once, PostgreSQL and the Prometheus tools included', () => {
    fakeApt();
    const { result } = provision({ purpose: 'test' });

    const install = calls().find((call) => call.argv[1] === 'install');
    expect(install?.argv.slice(5)).toEqual(['prometheus', 'prometheus-alertmanager', 'chromium', 'redis-server', 'postgresql', 'victoria-metrics', 'docker-compose']);
    expect(result.missing).toEqual([]);
    expect(Object.keys(result.paths).sort()).toEqual(toolsFor('test').map((tool) => tool.id).sort());
    expect(result.env.PG_CTL_BIN).toBe(join(installedBin, 'pg_ctl'));
  });

  it('as a user whom sudo lets through without a password, installs through sudo -n', () => {
    fakeApt();
    fakeSudo({ allowed: true });
    const { result, lines } = provision({ purpose: 'start', uid: 1000 });

    expect(calls().map((call) => call.argv)).toEqual([
      ['sudo', '-n', 'true'],
      ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
      ['apt-get', 'update', '-qq'],
      ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'prometheus', 'prometheus-alertmanager'],
      ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'prometheus', 'prometheus-alertmanager'],
    ]);
    expect(lines).toContain('Installing from Debian: sudo -n apt-get install prometheus prometheus-alertmanager …');
    expect(result.missing).toEqual([]);
  });

  it('when sudo asks for a password, installs nothing and gives the one command to run', () => {
    fakeApt();
    fakeSudo({ allowed: false });
    const { result, lines } = provision({ purpose: 'test', uid: 1000 });

    expect(calls().map((call) => call.argv)).toEqual([['sudo', '-n', 'true']]);
    expect(result.installed).toEqual([]);
    expect(result.missing.map((tool) => tool.id)).toEqual(toolsFor('test').map((tool) => tool.id));
    expect(result.installCommand).toBe(`sudo apt-get install -y ${debianPackages(toolsFor('test')).join(' ')}`);
    expect(lines).toContain('Not installing them: not root, and sudo asks for a password.');
  });

  it(`installs nothing with ${NO_INSTALL_ENV_VAR}=1, even as root`, () => {
    fakeApt();
    const { result, lines } = provision({ purpose: 'start', env: { PATH: `${systemBin}:${installedBin}`, [NO_INSTALL_ENV_VAR]: '1' } });

    expect(calls()).toEqual([]);
    expect(result.installCommand).toBe('apt-get install -y prometheus prometheus-alertmanager');
    expect(lines).toContain(`Not installing them (${NO_INSTALL_ENV_VAR}=1).`);
  });

  it('reports a failed apt-get with its last lines and leaves the command to run', () => {
    fakeApt({ failWith: 100 });
    const { result, lines } = provision({ purpose: 'start' });

    expect(result.installed).toEqual([]);
    expect(result.missing.map((tool) => tool.id)).toEqual(['prometheus', 'alertmanager']);
    expect(lines).toContain('apt-get failed (exit 100):');
    expect(lines).toContain('  E: Unable to locate package');
    expect(result.installCommand).toBe('apt-get install -y prometheus prometheus-alertmanager');
  });

  it('on macOS names the Homebrew formulas and cask instead of trying apt-get', () => {
    fakeApt();
    const { result, lines } = provision({ purpose: 'test', platform: 'darwin', uid: 501 });

    expect(calls()).toEqual([]);
    expect(lines).toContain('Not installing them: Homebrew installs are left to you.');
    expect(result.installCommand).toBe('brew install prometheus alertmanager redis postgresql@17 victoriametrics docker-compose && brew install --cask chromium');
  });

  it('on a Linux without apt-get names the packages and the variables that point at the programs', () => {
    const { result } = provision({ purpose: 'start' });

    expect(calls()).toEqual([]);
    expect(result.installCommand).toBe("your package manager's packages for prometheus, prometheus-alertmanager (Debian's names), or set PROMETHEUS_BIN, ALERTMANAGER_BIN to the programs");
  });

  it('takes a program from its *_BIN variable without installing, and refuses one that is not executable', () => {
    fakeApt();
    const own = join(dir, 'own-prometheus');
    writeFileSync(own, '#!/bin/sh\n');
    chmodSync(own, 0o755);
    const notExecutable = join(dir, 'alertmanager.txt');
    writeFileSync(notExecutable, '');
    const env = { PATH: `${systemBin}:${installedBin}`, PROMETHEUS_BIN: own, ALERTMANAGER_BIN: notExecutable, [NO_INSTALL_ENV_VAR]: '1' };
    const { result } = provision({ purpose: 'start', env });

    expect(result.paths).toEqual({ prometheus: own });
    expect(result.missing.map((tool) => tool.id)).toEqual(['alertmanager']);
  });

  it('stops and disables the services of the packages it installed, where systemd runs', () => {
    fakeApt();
    script('systemctl', "log(['systemctl', ...process.argv.slice(2)]);");
    const { lines } = provision({ purpose: 'start', systemd: true });

    expect(calls().at(-1)?.argv).toEqual(['systemctl', 'disable', '--now', 'prometheus', 'prometheus-alertmanager']);
    expect(lines.at(-1)).toBe('Stopped and disabled the system services prometheus, prometheus-alertmanager: Modelwatch starts its own instances on its own ports.');
  });

  it('does nothing when every tool is there', () => {
    fakeApt();
    const { result, lines } = provision({ purpose: 'start' });
    expect(result.installed).toHaveLength(2);
    rmSync(callLog);

    const again = provision({ purpose: 'start' });
    expect(calls()).toEqual([]);
    expect(again.lines).toEqual([]);
    expect(again.result.missing).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
  });
});
