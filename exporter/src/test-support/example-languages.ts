import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const examplesDir = join(__dirname, '..', '..', 'examples');
/** Inside the package, so the copies import `@modelwatch/exporter` and the SDKs as the originals do. */
const javascriptDir = join(__dirname, '..', '..', 'node_modules', '.cache', 'modelwatch-examples');

export interface ExampleLanguage {
  language: 'TypeScript' | 'JavaScript';
  /** Node's arguments to run this example file of examples/, from that folder. */
  nodeArgs(file: string): string[];
}

/**
 * Every README example is valid TypeScript and plain ESM JavaScript at once, and runs both
 * ways: with tsx as TypeScript, and as a `.mjs` copy under bare node, which no loader helps:
 * a type annotation left in an example fails that run.
 */
export const EXAMPLE_LANGUAGES: readonly ExampleLanguage[] = [
  { language: 'TypeScript', nodeArgs: (file) => ['--import', 'tsx', file] },
  { language: 'JavaScript', nodeArgs: (file) => [asJavaScript(file)] },
];

function asJavaScript(file: string): string {
  mkdirSync(javascriptDir, { recursive: true });
  const copy = join(javascriptDir, basename(file).replace(/\.ts$/, '.mjs'));
  copyFileSync(join(examplesDir, file), copy);
  return copy;
}
