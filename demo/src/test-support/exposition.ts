/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the classic text format (enough for these tests: no exemplars, no timestamps needed). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`Unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1]!, labels, value: Number(match[4]) });
  }
  return samples;
}

/** Reads samples of one scrape. */
export class Scrape {
  constructor(readonly samples: readonly Sample[]) {}

  static parse(text: string): Scrape {
    return new Scrape(parseExposition(text));
  }

  /** Sum of the samples named `name` whose labels include `labels`. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.select(name, labels).reduce((total, sample) => total + sample.value, 0);
  }

  select(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  }

  has(name: string): boolean {
    return this.samples.some((sample) => sample.name === name || sample.name.startsWith(`${name}_`));
  }
}
