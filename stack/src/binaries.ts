/**
 * The external programs the stack runs (Debian packages `prometheus` and
 * `prometheus-alertmanager`). Found on the PATH unless an environment variable
 * names them; a missing one is reported with the exact install command, because
 * "spawn ENOENT" tells a newcomer nothing.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type BinaryName = 'prometheus' | 'promtool' | 'alertmanager' | 'amtool';

/** The one command that installs every binary the stack uses. */
export const INSTALL_COMMAND = 'sudo apt-get install prometheus prometheus-alertmanager';

const BINARIES: Record<BinaryName, { envVar: string; candidates: readonly string[]; label: string }> = {
  prometheus: { envVar: 'PROMETHEUS_BIN', candidates: ['prometheus'], label: 'Prometheus' },
  promtool: { envVar: 'PROMTOOL_BIN', candidates: ['promtool'], label: 'promtool' },
  // Debian renames the upstream `alertmanager` binary.
  alertmanager: { envVar: 'ALERTMANAGER_BIN', candidates: ['prometheus-alertmanager', 'alertmanager'], label: 'Alertmanager' },
  amtool: { envVar: 'AMTOOL_BIN', candidates: ['amtool'], label: 'amtool' },
};

export class MissingBinaryError extends Error {
  readonly installCommand = INSTALL_COMMAND;
  constructor(
    readonly binary: BinaryName,
    detail: string,
  ) {
    super(`${BINARIES[binary].label} is not installed (${detail}). Install it with: ${INSTALL_COMMAND}`);
    this.name = 'MissingBinaryError';
  }
}

/**
 * The path of `name`: `$<NAME>_BIN` when set (must be executable), else the
 * first candidate found on the PATH. Throws {@link MissingBinaryError}.
 */
export function resolveBinary(name: BinaryName, env: NodeJS.ProcessEnv = process.env): string {
  const { envVar, candidates } = BINARIES[name];
  const configured = env[envVar];
  if (configured) {
    const found = isAbsolute(configured) ? (isExecutable(configured) ? configured : undefined) : findOnPath(configured, env);
    if (!found) throw new MissingBinaryError(name, `${envVar}=${configured} is not an executable`);
    return found;
  }
  for (const candidate of candidates) {
    const found = findOnPath(candidate, env);
    if (found) return found;
  }
  throw new MissingBinaryError(name, `no ${candidates.map((c) => `\`${c}\``).join(' or ')} on the PATH, ${envVar} unset`);
}

export interface ToolResult {
  /** Exit code; null when killed by a signal or not run. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a short-lived tool (promtool, amtool) to completion; never throws for a non-zero exit. */
export function runTool(binary: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(binary, [...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(new Error(`${binary}: ${error.message}`));
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
