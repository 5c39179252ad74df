// Personal data that must never leave in an event (PIPL; JR/T 0171-2020): mainland mobile
// numbers, ID numbers and bank card numbers, however they are written. Kept free of zod, like
// errors.ts: the BFF refuses events with it, and the fake bank receiver checks what arrives.

export type PersonalDataKind = 'mobile' | 'id_number' | 'card_number';

export const personalDataLabelsZh: Record<PersonalDataKind, string> = {
  mobile: '手机号',
  id_number: '身份证号',
  card_number: '银行卡号',
};

/** UUIDs and hex digests (16+ characters with a letter, maybe after a short prefix): machine tokens whose digit runs are chance. */
const OPAQUE_TOKEN = /^[A-Za-z]{0,4}(?=[0-9a-f]*[a-f])[0-9a-f]{16,}$/i;
const UUID = /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi;
/** Digit groups with what people put between them: spaces (any width) and dashes of every kind. */
const GROUPED = /\d+(?:[\s\-\u2010-\u2015\u2212]+\d+)+[Xx]?/g;
const SEPARATOR = /[\s\-\u2010-\u2015\u2212]+/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A region code (first digit 1-8) and a real birth date: an 18-character ID number (GB 11643), check digit or not. */
function looksLikeId18(run: string): boolean {
  if (!/^[1-8]\d{16}[\dX]$/i.test(run)) return false;
  const year = Number(run.slice(6, 10));
  return year >= 1900 && year <= 2099 && validDate(year, Number(run.slice(10, 12)), Number(run.slice(12, 14)));
}

/** The older 15-digit ID number: region, then a two-digit year, month and day. */
function looksLikeId15(run: string): boolean {
  if (!/^[1-8]\d{14}$/.test(run)) return false;
  return validDate(1900 + Number(run.slice(6, 8)), Number(run.slice(8, 10)), Number(run.slice(10, 12)));
}

const isMobile = (run: string) => /^(?:0086|86)?1[3-9]\d{9}$/.test(run);

/**
 * What one standalone run of digits (possibly ending in X) is. `cards`: whether to look for card
 * numbers too (not in identifiers, where 13-19 digit serials pass Luhn one time in ten).
 */
function kindOfRun(run: string, cards: boolean): PersonalDataKind | null {
  const digits = /x$/i.test(run) ? run.slice(0, -1) : run;
  if (isMobile(digits)) return 'mobile';
  if ((run.length === 18 && looksLikeId18(run)) || (digits.length === 15 && looksLikeId15(digits))) return 'id_number';
  if (cards && /^\d{13,19}$/.test(digits) && luhn(digits)) return 'card_number';
  return null;
}

/** Every way a number may have been written here: each word, and each run of digit groups joined (138 0013 8000 2 holds 13800138000). */
function candidates(text: string): { run: string; inWord: boolean }[] {
  const out: { run: string; inWord: boolean }[] = [];
  for (const word of text.replace(UUID, ' ').split(/[^0-9A-Za-z]+/)) {
    if (!word || OPAQUE_TOKEN.test(word)) continue;
    if (/^\d+[Xx]?$/.test(word)) out.push({ run: word, inWord: false });
    // Digits inside a word (tel13800138000): only a mobile number stands out from a code there.
    else for (const inner of word.match(/\d{11,15}/g) ?? []) out.push({ run: inner, inWord: true });
  }
  for (const match of text.replace(UUID, ' ').matchAll(GROUPED)) {
    const groups = match[0].split(SEPARATOR);
    for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < Math.min(groups.length, i + 6); j++) out.push({ run: groups.slice(i, j + 1).join(''), inWord: false });
  }
  // A mobile number written with dots: 138.0013.8000.
  for (const m of text.matchAll(/(?<!\d)(1[3-9]\d)\.(\d{4})\.(\d{4})(?!\d)/g)) out.push({ run: m[1] + m[2] + m[3], inWord: false });
  return out;
}

/** The personal data in one text or number, if any; `identifier`: the value names something (an id, a code), so card rules are not applied. */
export function personalDataIn(value: string | number, options: { identifier?: boolean } = {}): PersonalDataKind | null {
  const text = typeof value === 'number' ? (Number.isInteger(value) ? BigInt(value).toString() : String(value)) : value.normalize('NFKC');
  for (const { run, inWord } of candidates(text)) {
    const kind = inWord ? (isMobile(run) ? 'mobile' : null) : kindOfRun(run, !options.identifier);
    if (kind) return kind;
  }
  return null;
}

/** Keys whose values name things (`activityId`, `subjectId`, `itemCode`): ids and codes, which may be long digit serials. */
const IDENTIFIER_KEY = /(?:^id|Id|^code|Code|^eventId)$/;

/**
 * The first place (a dotted path) in a value, at any depth, keys included, holding personal
 * data. `identifiers: 'lenient'` skips card rules under identifier keys: for our own events,
 * whose ids and codes are serials, not for what a client sends.
 */
export function findPersonalData(value: unknown, options: { identifiers?: 'strict' | 'lenient' } = {}, path = '', key = ''): { path: string; kind: PersonalDataKind } | null {
  if (typeof value === 'string' || typeof value === 'number') {
    const kind = personalDataIn(value, { identifier: options.identifiers === 'lenient' && IDENTIFIER_KEY.test(key) });
    return kind ? { path: path || '(value)', kind } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findPersonalData(item, options, path ? `${path}.${i}` : String(i), key);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, item] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      const inKey = personalDataIn(k);
      if (inKey) return { path: at, kind: inKey };
      const found = findPersonalData(item, options, at, k);
      if (found) return found;
    }
  }
  return null;
}
