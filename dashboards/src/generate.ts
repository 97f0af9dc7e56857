/**
 * `npm run dashboards`: writes the generated dashboards and provisioning files.
 *
 *   npm run dashboards                                   the repo's files (legacy GenAI names)
 *   npm run dashboards -- --semconv latest --out dir     the same layout under dir/, reading the GenAI semconv v0.1
 *                                                        names (legacy, latest or both; default with --out: from
 *                                                        OTEL_SEMCONV_STABILITY_OPT_IN, as the exporter's)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SEMCONV_MODES, SEMCONV_OPT_IN_ENV, semconvModeFromOptIn, type SemconvMode } from '@modelwatch/conventions';
import { REPO_ROOT, generatedFiles } from './generated-files';

export function main(argv: readonly string[], log = console.log, error = console.error): number {
  const { values } = parseArgs({ args: [...argv], options: { out: { type: 'string' }, semconv: { type: 'string' } } });
  if (values.semconv !== undefined && !SEMCONV_MODES.includes(values.semconv as SemconvMode)) {
    error(`--semconv must be one of ${SEMCONV_MODES.join(', ')}`);
    return 2;
  }
  if (values.semconv && values.semconv !== 'legacy' && !values.out) {
    error("--semconv needs --out <dir>: the repo's own files read the legacy names");
    return 2;
  }
  const mode = values.out ? ((values.semconv as SemconvMode | undefined) ?? semconvModeFromOptIn(process.env[SEMCONV_OPT_IN_ENV])) : 'legacy';
  const root = values.out ? resolve(values.out) : REPO_ROOT;
  for (const file of generatedFiles(mode)) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    log(`wrote ${values.out ? target : file.path}`);
  }
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
