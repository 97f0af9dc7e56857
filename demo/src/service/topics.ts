/**
 * What a question is about, from a few keywords. Stored with each conversation
 * instead of the prompt itself, and used to recommend help articles.
 */
export const TOPICS = ['shipping', 'returns', 'warranty', 'account', 'payments', 'sizing', 'rentals', 'general'] as const;
export type Topic = (typeof TOPICS)[number];

const KEYWORDS: ReadonlyArray<readonly [Topic, RegExp]> = [
  ['shipping', /\b(ship|shipping|deliver|delivery|parcel|track|carrier|express|pickup)/],
  ['returns', /\b(return|refund|exchange|send back)/],
  ['warranty', /\b(warranty|broken|defect|repair|zipper|recall)/],
  ['account', /\b(account|password|email|login|log in|two-factor|2fa|gdpr|data)/],
  ['payments', /\b(pay|payment|card|invoice|voucher|gift card|discount|code|price|vat)/],
  ['sizing', /\b(size|sizing|fit|small|large|boots?)\b/],
  ['rentals', /\b(rent|rental|hire)/],
];

export function classifyTopic(prompt: string): Topic {
  const text = prompt.toLowerCase();
  return KEYWORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'general';
}

export interface Article {
  id: string;
  title: string;
  topic: Topic;
}

/** Help-centre articles the recommendations choose from. */
export const ARTICLES: readonly Article[] = [
  { id: 'kb-101', title: 'When will my order ship?', topic: 'shipping' },
  { id: 'kb-102', title: 'Tracking a parcel and what carrier statuses mean', topic: 'shipping' },
  { id: 'kb-201', title: 'How to return an item in 60 days', topic: 'returns' },
  { id: 'kb-202', title: 'Refund timelines by payment method', topic: 'returns' },
  { id: 'kb-301', title: 'What the two-year warranty covers', topic: 'warranty' },
  { id: 'kb-302', title: 'Booking a repair at the repair desk', topic: 'warranty' },
  { id: 'kb-401', title: 'Changing your email, address or password', topic: 'account' },
  { id: 'kb-402', title: 'Resetting two-factor authentication', topic: 'account' },
  { id: 'kb-501', title: 'Payment methods and invoices', topic: 'payments' },
  { id: 'kb-502', title: 'Using discount codes and gift cards', topic: 'payments' },
  { id: 'kb-601', title: 'Finding your size: boots and jackets', topic: 'sizing' },
  { id: 'kb-701', title: 'Renting gear: pickup, cleaning and late fees', topic: 'rentals' },
  { id: 'kb-801', title: 'Getting started with Northwind', topic: 'general' },
  { id: 'kb-802', title: 'Store pickup locations and hours', topic: 'general' },
];
