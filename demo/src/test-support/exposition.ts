import { parseExposition, type Sample } from '@modelwatch/testkit';

/** Reads samples of one scrape. */
export class Scrape {
  constructor(readonly samples: readonly Sample[]) {}

  static parse(text: string): Scrape {
    return new Scrape(parseExposition(text).samples);
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
