/**
 * Prometheus and Alertmanager read YAML files. The stack builds their configs
 * as objects (the repo's files, adjusted to the ports of this run) and writes
 * them here; YAML at the edge only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

/** A parsed YAML mapping, as Prometheus' and Alertmanager's config schemas are. */
export type ConfigObject = Record<string, unknown>;

/** Parses the YAML file at `path`; throws naming the file when it is not a mapping. */
export function readYamlFile(path: string): ConfigObject {
  const value: unknown = parse(readFileSync(path, 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: expected a YAML mapping at the top level`);
  return value as ConfigObject;
}

/** Writes `config` as YAML with a header saying where it came from. */
export function writeYamlFile(path: string, config: ConfigObject, header?: string): void {
  const comment = header ? `${header.split('\n').map((line) => `# ${line}`).join('\n')}\n` : '';
  writeFileSync(path, comment + stringify(config, { lineWidth: 0 }));
}
