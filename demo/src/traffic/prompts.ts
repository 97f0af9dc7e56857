import type { Random } from './random';

/**
 * Questions customers ask again and again: half the chat traffic draws from
 * this pool, so the answer cache hits about half the time, as an FAQ-heavy
 * support bot does.
 */
export const COMMON_PROMPTS: readonly string[] = [
  'When will my order ship?',
  'How do I return an item?',
  'How long does a refund take?',
  'Is shipping free?',
  'What does the warranty cover?',
  'How do I change my password?',
  'Can I change my delivery address?',
  'Which payment methods do you accept?',
  'How do I use a discount code?',
  'Do gift cards expire?',
  'Which size should I pick for hiking boots?',
  'How do I rent a tent?',
  'What happens if I return rental gear late?',
  'Where can I pick up my order in store?',
  'My parcel arrived damaged, what now?',
  'My parcel is lost, can you help?',
  'How do I reset two-factor authentication?',
  'Can I cancel a pre-order?',
  'Do you offer a student discount?',
  'How do loyalty points work?',
  'Can you repair my backpack zipper?',
  'Do you price match?',
  'Can I ship gas canisters abroad?',
  'How waterproof is a 10,000 mm jacket?',
];

const ITEMS = ['tent', 'sleeping bag', 'rain jacket', 'hiking boots', 'backpack', 'headlamp', 'down jacket', 'trekking poles', 'stove', 'climbing harness'];
const TEMPLATES: ReadonlyArray<(r: Random) => string> = [
  (r) => `Where is my order #${100000 + r.int(900000)}? It should have arrived by now.`,
  (r) => `I want to return the ${r.pick(ITEMS)} from order #${100000 + r.int(900000)}, it does not fit.`,
  (r) => `Is the ${r.pick(ITEMS)} in size ${r.pick(['S', 'M', 'L', 'XL', '42', '44'])} back in stock soon?`,
  (r) => `My ${r.pick(ITEMS)} broke after ${2 + r.int(20)} months, is that covered by the warranty?`,
  (r) => `Can I pay invoice ${r.int(90000) + 10000} for my company by bank transfer?`,
  (r) => `Which ${r.pick(ITEMS)} would you recommend for a ${2 + r.int(12)}-day trip in ${r.pick(['Norway', 'the Alps', 'Scotland', 'Patagonia', 'Colorado'])}?`,
];

/** A chat prompt: a common question half the time, a one-off question otherwise. */
export function pickPrompt(random: Random): string {
  return random.next() < 0.5 ? random.pick(COMMON_PROMPTS) : random.pick(TEMPLATES)(random);
}

/** Texts to embed: product descriptions, as a search index would send. */
export function pickTexts(random: Random): string[] {
  return Array.from({ length: 1 + random.int(4) }, () => `${random.pick(ITEMS)} — ${random.pick(['lightweight', 'waterproof', 'recycled', 'four-season', 'ultralight'])} model ${random.int(1000)}`);
}
