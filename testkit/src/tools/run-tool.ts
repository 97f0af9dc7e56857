import { execFile } from 'node:child_process';

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
