/**
 * Personal data that `redact({ pii: true })` masks besides secrets. Off by default:
 * these shapes also match data that is not personal (a 16-digit order id that
 * happens to pass the Luhn check), and only the app knows whether its logs may
 * hold personal data at all.
 */
export const PII_KINDS = ['email', 'card', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** One masking rule: every match of `pattern` that `isPersonal` confirms becomes the replacement. */
export interface PiiRule {
  readonly pattern: RegExp;
  readonly isPersonal: (match: string) => boolean;
}

const always = () => true;

/**
 * `name@host.tld`. The lookbehind anchors a match at the start of its run of
 * address characters, so a long run without `@` is scanned once, not once per start.
 */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g;

/** 13 to 19 digits, single spaces or dashes between them allowed; masked only when the Luhn check passes. */
const CARD_NUMBER = /(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9])/g;

/**
 * International numbers written with `+` (8 to 15 digits, up to two of ` .-()` between
 * digits), and North American ones: `555-123-4567`, `555.123.4567`, `(555) 123-4567`.
 * Bare digit runs are not phone numbers here: they are as often ids, amounts or times.
 */
const INTERNATIONAL_PHONE = /(?<![\w+])\+(?:[0-9][ .()-]{0,2}){7,14}[0-9](?![0-9])/g;
const NORTH_AMERICAN_PHONE = /(?<![\w.])(?:\([0-9]{3}\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![\w])/g;

const RULES: Readonly<Record<PiiKind, readonly PiiRule[]>> = {
  email: [{ pattern: EMAIL, isPersonal: always }],
  // Before the phone rules, so a card number written in groups is judged as a card.
  card: [{ pattern: CARD_NUMBER, isPersonal: (match) => passesLuhn(match.replace(/[ -]/g, '')) }],
  phone: [
    { pattern: INTERNATIONAL_PHONE, isPersonal: always },
    { pattern: NORTH_AMERICAN_PHONE, isPersonal: always },
  ],
};

/** The rules of the kinds asked for (`true`: all of them), in a fixed order. */
export function piiRules(option: boolean | readonly PiiKind[] | undefined): PiiRule[] {
  if (option === undefined || option === false) return [];
  const kinds = new Set<PiiKind>(option === true ? PII_KINDS : option);
  return PII_KINDS.filter((kind) => kinds.has(kind)).flatMap((kind) => RULES[kind]);
}

/** The Luhn checksum every payment card number satisfies (ISO/IEC 7812-1). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
