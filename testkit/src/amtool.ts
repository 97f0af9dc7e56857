/**
 * `amtool` (Debian `prometheus-alertmanager`) wrapped for tests: the alerting
 * suite checks every generated Alertmanager config, routing tree and template
 * with the tool Alertmanager's maintainers ship, not with our own reading of it.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTool, runTool, type ToolResult } from './tools';

export interface CheckResult extends ToolResult {
  ok: boolean;
  /** stdout and stderr together, as amtool printed them. */
  output: string;
}

/** `amtool check-config <files>`: syntax, receivers, routes, templates. */
export async function checkConfig(files: string | readonly string[]): Promise<CheckResult> {
  const result = await runTool(resolveTool('amtool'), ['check-config', ...(typeof files === 'string' ? [files] : files)]);
  return { ...result, ok: result.code === 0, output: result.stdout + result.stderr };
}

export interface RoutesTestResult extends CheckResult {
  /** The receivers the labels route to, in tree order (several when routes `continue`). */
  receivers: string[];
}

/**
 * `amtool config routes test`: where an alert with `labels` goes. With
 * `expectReceivers`, `ok` is false unless exactly those receivers match.
 */
export async function routesTest(configFile: string, labels: Readonly<Record<string, string>>, expectReceivers?: readonly string[]): Promise<RoutesTestResult> {
  const args = ['config', 'routes', 'test', `--config.file=${configFile}`];
  if (expectReceivers) args.push(`--verify.receivers=${expectReceivers.join(',')}`);
  args.push(...Object.entries(labels).map(([name, value]) => `${name}=${value}`));
  const result = await runTool(resolveTool('amtool'), args);
  const answer = result.stdout.split('\n').find((line) => line.trim() !== '' && !line.startsWith('WARNING')) ?? '';
  return {
    ...result,
    ok: result.code === 0,
    output: result.stdout + result.stderr,
    receivers: answer
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  };
}

export interface TemplateRenderOptions {
  /** Template files (paths or globs) that define the named templates. */
  templateFiles: readonly string[];
  /** The template text to render, e.g. `{{ template "slack.title" . }}`. */
  text: string;
  /** Alert data (Alertmanager's template.Data shape); amtool's built-in example data when left out. */
  data?: unknown;
}

/** `amtool template render`: the rendered text; throws with amtool's error when rendering fails. */
export async function templateRender(options: TemplateRenderOptions): Promise<string> {
  const args = ['template', 'render', ...options.templateFiles.map((glob) => `--template.glob=${glob}`), `--template.text=${options.text}`];
  let dataDir: string | undefined;
  if (options.data !== undefined) {
    dataDir = mkdtempSync(join(tmpdir(), 'modelwatch-amtool-'));
    const dataFile = join(dataDir, 'data.json');
    writeFileSync(dataFile, JSON.stringify(options.data));
    args.push(`--template.data=${dataFile}`);
  }
  try {
    const result = await runTool(resolveTool('amtool'), args);
    if (result.code !== 0) throw new Error(`amtool template render failed: ${result.stderr.trim() || result.stdout.trim()}`);
    return result.stdout;
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
