import type { MatchLogic, Provider } from '@pydantic/genai-prices';
import { escapeRegex } from '@modelwatch/conventions';
import { genaiPrices } from './genai-prices';

/**
 * A quick "certainly not in the table" for model names, so a flood of unknown names
 * (every call a new one) costs a few set and regular-expression tests each rather
 * than calcPrice's scan of every model's matcher (it compiles each `regex` matcher
 * anew per call).
 *
 * It only ever answers "no match" or "maybe": a name it lets through is priced by
 * calcPrice as before, so genai-prices stays the only judge of what a name matches.
 * It is built from the same provider objects calcPrice reads, and mirrors its
 * lookup: the model name lower-cased and trimmed, the provider by id (or, without
 * one, by the providers' `model_match`), then the provider's models and those of its
 * `fallback_model_providers`. Each model's matcher is widened to a union of plain
 * tests (an `and` keeps one of its parts, which it implies), so the filter matches
 * at least every name calcPrice matches.
 */
export function mayHaveBundledPrice(model: unknown, providerId: string | undefined): boolean {
  if (typeof model !== 'string') return true;
  // calcPrice's own handling of LiteLLM ids ("openai/gpt-4o") is left to it.
  if (providerId !== undefined && providerId.toLowerCase() === LITELLM) return true;
  const name = model.toLowerCase().trim();
  // Dated snapshots ("-20250514") are also looked up as "-2025-05-14" by calcPrice: left to it.
  if (DATED.test(name)) return true;
  const table = genaiPrices();
  // calcPrice finds the provider by id when it has a non-empty one, else by the model name.
  const provider = providerId ? table.findProvider({ providerId }) : table.findProvider({ modelId: name });
  if (provider === undefined) return false;
  return filterOf(provider).test(name);
}

const LITELLM = 'litellm';

/** Covers every date calcPrice rewrites (`-YYYYMMDD` followed by `-`, `:` or the end). */
const DATED = /-20\d{6}/;

interface ModelFilter {
  test(name: string): boolean;
}

const ACCEPT_ALL: ModelFilter = { test: () => true };

// Keyed by the provider object itself: a new price table brings new objects, and new filters.
const filters = new WeakMap<Provider, ModelFilter>();

function filterOf(provider: Provider): ModelFilter {
  let filter = filters.get(provider);
  if (filter === undefined) {
    filter = buildFilter(provider);
    filters.set(provider, filter);
  }
  return filter;
}

/** The plain tests a union of matchers comes down to; `all` when one of them matches every name. */
interface Tests {
  all: boolean;
  equals: Set<string>;
  startsWith: string[];
  endsWith: string[];
  contains: string[];
  /** Sources of the table's regular expressions, each checked to compile. */
  regex: string[];
}

function buildFilter(provider: Provider): ModelFilter {
  const tests: Tests = { all: false, equals: new Set(), startsWith: [], endsWith: [], contains: [], regex: [] };
  try {
    const providers = [provider];
    for (const id of provider.fallback_model_providers ?? []) {
      // calcPrice finds fallbacks by exact id; findProvider agrees on lower-case, trimmed ids only.
      if (typeof id !== 'string' || id !== id.toLowerCase().trim()) return ACCEPT_ALL;
      const fallback = genaiPrices().findProvider({ providerId: id });
      if (fallback?.id === id) providers.push(fallback);
    }
    for (const { models } of providers) {
      for (const { match } of models) collect(match, tests);
    }
    return tests.all ? ACCEPT_ALL : compile(tests);
  } catch {
    // Data this filter cannot read (an unexpected shape, a regex that does not compile): calcPrice decides.
    return ACCEPT_ALL;
  }
}

/** Adds to `tests` a union that every name `logic` matches also matches (the checks in calcPrice's order). */
function collect(logic: MatchLogic, tests: Tests): void {
  if ('or' in logic) {
    for (const part of logic.or) collect(part, tests);
  } else if ('and' in logic) {
    // Every part of an `and` must match, so any one of them is implied; none at all matches every name.
    const [first] = logic.and;
    if (first === undefined) tests.all = true;
    else collect(first, tests);
  } else if ('equals' in logic) {
    tests.equals.add(logic.equals.toLowerCase());
  } else if ('starts_with' in logic) {
    tests.startsWith.push(logic.starts_with.toLowerCase());
  } else if ('ends_with' in logic) {
    tests.endsWith.push(logic.ends_with.toLowerCase());
  } else if ('contains' in logic) {
    tests.contains.push(logic.contains.toLowerCase());
  } else if ('regex' in logic) {
    // calcPrice tests the pattern as written (no flags) against the lower-cased name; one that does not compile throws here.
    tests.regex.push(new RegExp(logic.regex).source);
  }
  // Anything else matches no name in calcPrice either.
}

function compile(tests: Tests): ModelFilter {
  const { equals } = tests;
  // Everything but `equals` folded into one expression, so a name costs one scan. The table's own
  // expressions join it as alternatives unless they number or name their groups (a back-reference
  // would then point at another alternative's group); those are tested on their own.
  const alternatives = [
    literals(tests.startsWith, '^(?:', ')'),
    literals(tests.endsWith, '(?:', ')$'),
    literals(tests.contains, '(?:', ')'),
    ...tests.regex.filter((source) => !REFERS_TO_GROUPS.test(source)).map((source) => `(?:${source})`),
  ].filter((source) => source !== '');
  const alone = tests.regex.filter((source) => REFERS_TO_GROUPS.test(source)).map((source) => new RegExp(source));
  const patterns = alternatives.length > 0 ? [new RegExp(alternatives.join('|')), ...alone] : alone;
  return {
    test(name: string): boolean {
      if (equals.has(name)) return true;
      for (const pattern of patterns) if (pattern.test(name)) return true;
      return false;
    },
  };
}

/** Back-references (`\1`, `\k<name>`) and named groups, which do not survive being joined with other expressions. */
const REFERS_TO_GROUPS = /\\[1-9]|\\k<|\(\?<(?![=!])/;

function literals(values: string[], open: string, close: string): string {
  return values.length === 0 ? '' : `${open}${[...new Set(values)].map(escapeRegex).join('|')}${close}`;
}

