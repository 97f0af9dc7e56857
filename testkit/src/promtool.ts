/**
 * `promtool` (Debian `prometheus`) wrapped for tests: config and rule files are
 * checked, and rules unit-tested, by the tool Prometheus ships.
 */
import { resolveTool, runTool } from './tools';
import type { CheckResult } from './amtool';

async function promtool(args: readonly string[]): Promise<CheckResult> {
  const result = await runTool(resolveTool('promtool'), args, { timeoutMs: 120_000 });
  return { ...result, ok: result.code === 0, output: result.stdout + result.stderr };
}

/** `promtool check config <file>` (also checks the rule files it names). */
export const checkPrometheusConfig = (file: string): Promise<CheckResult> => promtool(['check', 'config', file]);

/** `promtool check rules <files>`. */
export const checkRules = (files: readonly string[]): Promise<CheckResult> => promtool(['check', 'rules', ...files]);

/** `promtool test rules <test files>`. */
export const testRules = (files: readonly string[]): Promise<CheckResult> => promtool(['test', 'rules', ...files]);
