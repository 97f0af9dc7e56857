#!/usr/bin/env node
/**
 * `npm run alerts`: generates every alerting file from an SLO spec (rules,
 * Alertmanager configs and templates, Grafana provisioning, runbooks).
 *
 *   npm run alerts                                   the repo's files, from the demo's spec (demo/slos.yaml)
 *   npm run alerts -- --check                        exit 1 listing the repo's files that differ
 *   npm run alerts -- --spec my-slos.yaml --out dir  your spec's files under dir/
 *   npm run alerts -- --out dir                      Modelwatch's defaults under dir/
 *   … --semconv latest                               rules that read the GenAI semconv v0.1 names (legacy, latest
 *                                                    or both; default from OTEL_SEMCONV_STABILITY_OPT_IN, as the
 *                                                    exporter's); the repo's own files read the legacy names
 *   … --prometheus http://127.0.0.1:9090             also warn about routes, models and caches of the spec
 *                                                    that match nothing the services have reported there
 *
 * A spec with problems writes nothing and lists each problem with its line.
 * Files are written to a temporary directory first and moved into place, so
 * a failure never leaves half of them new.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SLO_SPEC, SEMCONV_MODES, SEMCONV_OPT_IN_ENV, semconvModeFromOptIn, type SemconvMode, type SloSpec } from '@modelwatch/conventions';
import { DEMO_SPEC, generatedFiles } from './generate';
import { REPO_ROOT } from './repo';
import { fetchSeen, uncoveredScopes } from './slo-spec/coverage';
import { SpecError, loadSpec } from './slo-spec/load';
import { serviceObjectives } from './slo-spec/objectives';


/** The repo's generated files whose committed content differs (or is missing). */
export function staleFiles(root: string = REPO_ROOT): string[] {
  return [...generatedFiles(loadSpec(join(root, DEMO_SPEC)))].filter(([path, content]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== content).map(([path]) => path);
}

/** Writes `files` under `root`: all into a temp dir, then copied over, so a failure part way leaves the old files. */
export function writeFiles(files: Map<string, string>, root: string): void {
  const staging = mkdtempSync(join(tmpdir(), 'modelwatch-alerts-'));
  try {
    for (const [path, content] of files) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), content);
    }
    mkdirSync(root, { recursive: true });
    cpSync(staging, root, { recursive: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export async function main(argv: readonly string[], log = console.log, error = console.error): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { spec: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' }, prometheus: { type: 'string' }, semconv: { type: 'string' } } });
  if (values.semconv !== undefined && !SEMCONV_MODES.includes(values.semconv as SemconvMode)) {
    error(`--semconv must be one of ${SEMCONV_MODES.join(', ')}`);
    return 2;
  }
  try {
    if (values.check) {
      const stale = staleFiles();
      for (const path of stale) error(`out of date: ${path} (run npm run alerts)`);
      return stale.length === 0 ? 0 : 1;
    }
    if (values.spec && !values.out) {
      error('--spec needs --out <dir>: the repo\'s own files come from demo/slos.yaml (edit it and run npm run alerts to change them)');
      return 2;
    }
    if (values.semconv && values.semconv !== 'legacy' && !values.out) {
      error('--semconv needs --out <dir>: the repo\'s own files read the legacy names');
      return 2;
    }
    // The exporters default to the opt-in of their environment; a reader generated for them here does too.
    const mode = values.out ? ((values.semconv as SemconvMode | undefined) ?? semconvModeFromOptIn(process.env[SEMCONV_OPT_IN_ENV])) : 'legacy';
    const specFile = values.out ? values.spec : join(REPO_ROOT, DEMO_SPEC);
    const spec: SloSpec = specFile ? loadSpec(specFile) : DEFAULT_SLO_SPEC;
    if (values.prometheus) {
      for (const warning of uncoveredScopes(serviceObjectives(spec), await fetchSeen(values.prometheus))) error(`warning: ${warning}`);
    }
    const root = values.out ? resolve(values.out) : REPO_ROOT;
    const files = generatedFiles(spec, mode);
    writeFiles(files, root);
    log(`wrote ${files.size} files under ${root} from ${specFile ?? "Modelwatch's default objectives"} (GenAI semconv: ${mode})`);
    return 0;
  } catch (failure) {
    if (failure instanceof SpecError) {
      error(failure.message);
      return 1;
    }
    throw failure;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
