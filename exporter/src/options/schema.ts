/**
 * A small typed validator for the options users pass to Modelwatch. Each schema
 * knows what it expects in words, so every rejection reads
 * `createModelwatch: option "http.ignorePaths" must be an array of strings, got the string "/metrics"`.
 * It only checks; callers keep reading the options they were given.
 */
export interface Schema {
  /** What a valid value is, as the end of "must be …". */
  readonly expected: string;
  /** Throws an OptionError naming `path` when `value` does not fit. */
  check(value: unknown, path: string, where: string): void;
}

/** Why an option was rejected: not a known name, missing though required, or a value of the wrong kind. */
export type OptionProblem = 'unknown' | 'missing' | 'invalid';

/** A rejected option: a programming error in the app's setup, reported before anything runs. */
export class OptionError extends TypeError {
  override readonly name = 'ModelwatchOptionError';

  constructor(
    where: string,
    /** The dotted path of the offending option, e.g. `http.ignorePaths`. */
    readonly option: string,
    problem: string,
    readonly problemKind: OptionProblem = 'invalid',
  ) {
    super(`${where}: option "${option}" ${problem}`);
  }
}

/** A value as a user would recognise it in an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'a symbol';
    default: {
      const keys = Object.keys(value as object);
      return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
  }
}

/** A schema for values `accepts` lets through, described as `expected`. */
export function schemaOf(expected: string, accepts: (value: unknown) => boolean): Schema {
  return {
    expected,
    check(value, path, where) {
      if (!accepts(value)) throw new OptionError(where, path, `must be ${expected}, got ${describeValue(value)}`);
    },
  };
}

export const boolean = schemaOf('true or false', (v) => typeof v === 'boolean');
export const func = schemaOf('a function', (v) => typeof v === 'function');
export const string = schemaOf('a string', (v) => typeof v === 'string');
export const nonEmptyString = schemaOf('a non-empty string', (v) => typeof v === 'string' && v !== '');
export const positiveNumber = schemaOf('a finite number > 0', (v) => typeof v === 'number' && v > 0 && v < Infinity);
export const positiveInteger = schemaOf('a positive integer', (v) => Number.isSafeInteger(v) && (v as number) > 0);
/** A TCP port; 0 asks the system for a free one. */
export const port = schemaOf('an integer from 0 to 65535', (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535);
export const regExp = schemaOf('a RegExp', (v) => v instanceof RegExp);
/** Checked no further here: its owner validates it with messages of its own. */
export function anyOf(expected: string): Schema {
  return schemaOf(expected, () => true);
}

export function arrayOf(item: Schema): Schema {
  return {
    expected: `an array of ${plural(item.expected)}`,
    check(value, path, where) {
      if (!Array.isArray(value)) throw new OptionError(where, path, `must be ${this.expected}, got ${describeValue(value)}`);
      value.forEach((element, i) => item.check(element, `${path}[${i}]`, where));
    },
  };
}

/** Any one of `options`. */
export function oneOf(...options: Schema[]): Schema {
  const expected = options.map((o) => o.expected).join(' or ');
  return {
    expected,
    check(value, path, where) {
      const errors: OptionError[] = [];
      for (const option of options) {
        try {
          option.check(value, path, where);
          return;
        } catch (error) {
          errors.push(error as OptionError);
        }
      }
      // Alternatives whose complaint is below the value itself took it for their kind (an object).
      // One such: its message is the precise one. Several (two object shapes): the one whose keys it has.
      const sameKind = errors.filter((e) => e.option !== path);
      const hasKeys = typeof value === 'object' && value !== null && Object.keys(value).length > 0;
      const detailed =
        sameKind.length === 1 ? sameKind[0] : sameKind.find((e) => e.problemKind === 'invalid' || (e.problemKind === 'missing' && hasKeys));
      throw detailed ?? new OptionError(where, path, `must be ${expected}, got ${describeValue(value)}`);
    },
  };
}

/** Each option of T, described; a key missing here is a compile error, so a new option is never left unchecked. */
export type Shape<T> = { readonly [K in keyof Required<T>]: Schema };

/**
 * An object holding only the keys of `shape`, each valid or undefined (`required`
 * ones present). An unknown key (a typo such as `defualtMetrics`) is rejected with
 * the nearest known name.
 */
export function objectOf<T>(shape: Shape<T>, required: readonly (keyof T & string)[] = []): Schema {
  const known = Object.keys(shape);
  const description = `{ ${known.join(', ')} }`;
  return {
    expected: description,
    check(value, path, where) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new OptionError(where, path === '' ? 'options' : path, `must be ${description}, got ${describeValue(value)}`);
      }
      for (const key of Object.keys(value)) {
        const full = path === '' ? key : `${path}.${key}`;
        if (!Object.hasOwn(shape, key)) {
          const near = nearest(key, known);
          throw new OptionError(where, full, `is not a known option${near ? ` (did you mean "${near}"?)` : ''}; known: ${known.join(', ')}`, 'unknown');
        }
        const option = (value as Record<string, unknown>)[key];
        if (option !== undefined) (shape as Record<string, Schema>)[key]!.check(option, full, where);
      }
      for (const key of required) {
        if ((value as Record<string, unknown>)[key] === undefined) {
          throw new OptionError(where, path === '' ? key : `${path}.${key}`, `is required in ${description}`, 'missing');
        }
      }
    },
  };
}

/** Validates the options a function was called with; `undefined` means none. */
export function validateOptions<T>(where: string, shape: Shape<T>, options: unknown): asserts options is T | undefined {
  if (options !== undefined) objectOf(shape).check(options, '', where);
}

/** "a function" → "functions", "true or false" → "true or false values". */
function plural(expected: string): string {
  const noun = expected.replace(/^an? /, '');
  return noun === expected ? `${expected} values` : /s$/.test(noun) ? noun : `${noun}s`;
}

/** The known name within two edits of `key` (case-insensitive), if exactly one is nearest. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent swaps counted as one edit (`defualt` → `default`). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
