// What `npm start` and `npm test` do first on any machine, fresh clone or not:
// install the npm dependencies when they are missing, build the stack package
// (and the test kit beneath it), and provision the programs from outside npm
// (Prometheus, Alertmanager, …) through the test kit's one provisioning module — installing them from Debian when this
// user may, else naming the one command that would.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];

/** Runs a command in the repo root, showing its output; exits the process when it fails. */
export function run(what, command, args, shown = [command, ...args].join(' ')) {
  console.log(`${what} (${shown}) …`);
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${what} failed${error ? `: ${error.message}` : ` (exit ${status})`}.`);
    process.exit(1);
  }
}

/** `npm install` when a fresh clone has none, or a workspace was added since (its link is missing). */
export function installDependencies() {
  const linked = (ws) => existsSync(join(root, 'node_modules', JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8')).name));
  if (!existsSync(join(root, 'node_modules', '.package-lock.json')) || !workspaces.filter((ws) => existsSync(join(root, ws, 'package.json'))).every(linked)) {
    run('Installing dependencies', 'npm', ['install', '--no-audit', '--no-fund']);
  }
}

/** Incremental TypeScript build of `projects` (quick when nothing changed). */
export function tsc(projects) {
  if (projects.length === 0) return;
  run(`Building ${projects.join(', ')}`, process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', ...projects], `tsc -b ${projects.join(' ')}`);
}

/**
 * Dependencies, the stack package (with the test kit), then the tools `purpose` needs ('start' or
 * 'test'). The found tools' `<TOOL>_BIN` variables are set in this process's
 * environment, so every process started next runs the same programs.
 */
export async function setUp(purpose) {
  installDependencies();
  tsc(['stack']);
  const load = async (workspace) => (await import(pathToFileURL(join(root, workspace, 'dist', 'index.js')).href)).default;
  const testkit = await load('testkit');
  const tools = testkit.provisionTools({ purpose });
  Object.assign(process.env, tools.env);
  // The orchestrator and the test kit it is built of, as one namespace for npm start.
  return { stack: { ...testkit, ...(await load('stack')) }, tools };
}
