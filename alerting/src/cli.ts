#!/usr/bin/env node
/**
 * `npm run alerts`: writes every generated alerting file (rules, Alertmanager
 * configs and templates, Grafana provisioning, runbooks). `--check` writes
 * nothing and exits 1 listing the files that differ.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generatedFiles } from './generate';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Generated files whose committed content differs (or is missing). */
export function staleFiles(root: string = REPO_ROOT): string[] {
  return [...generatedFiles()].filter(([path, content]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== content).map(([path]) => path);
}

function main(argv: readonly string[]): number {
  if (argv.includes('--check')) {
    const stale = staleFiles();
    for (const path of stale) console.error(`out of date: ${path}`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const [path, content] of generatedFiles()) {
    mkdirSync(dirname(join(REPO_ROOT, path)), { recursive: true });
    writeFileSync(join(REPO_ROOT, path), content);
  }
  console.log(`wrote ${generatedFiles().size} files`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
