// Personal data that must never leave in an event (PIPL; JR/T 0171-2020): mainland mobile
// numbers, ID numbers and bank card numbers, however they are written. Kept free of zod, like
// errors.ts: the BFF refuses events with it, and the fake bank receiver checks what arrives.

export type PersonalDataKind = 'mobile' | 'id_number' | 'card_number';

export const personalDataLabelsZh: Record<PersonalDataKind, string> = {
  mobile: '手机号',
  id_number: '身份证号',
  card_number: '银行卡号',
};

/**
 * Opaque machine tokens: UUIDs and hex digests (16+ characters with a letter). Their digit runs
 * are chance, not a number anyone wrote, so they are set aside before looking.
 */
const OPAQUE = /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|(?<![0-9a-z])[0-9a-f]{16,}(?![0-9a-z])/gi;
/** What people put between groups of digits: spaces (any width) and dashes of every kind. */
const SEPARATED_DIGITS = /(\d)[\s\-\u2010-\u2015\u2212]+(?=\d)/g;

/** Full-width digits and signs to ASCII, opaque tokens out, separators between digits closed up. */
export function normaliseForPersonalData(text: string): string {
  const ascii = text.normalize('NFKC');
  const withoutTokens = ascii.replace(OPAQUE, (token) => (/[a-f]/i.test(token) ? ' ' : token));
  return withoutTokens.replace(SEPARATED_DIGITS, '$1');
}

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

/** What kind of personal data one digit run (possibly ending in X) is, if any. */
function kindOfRun(run: string): PersonalDataKind | null {
  if (/^(?:0086|86)?1[3-9]\d{9}$/.test(run)) return 'mobile';
  if ((run.length === 18 && looksLikeId18(run)) || (run.length === 15 && looksLikeId15(run))) return 'id_number';
  if (/^\d{13,19}$/.test(run) && luhn(run)) return 'card_number';
  return null;
}

/** The personal data in one text or number, if any. */
export function personalDataIn(value: string | number): PersonalDataKind | null {
  const text = typeof value === 'number' ? (Number.isInteger(value) ? BigInt(value).toString() : String(value)) : normaliseForPersonalData(value);
  for (const match of text.matchAll(/\d{11,}[Xx]?/g)) {
    // A run must stand alone: digits either side belong to a longer number.
    const before = text[match.index! - 1];
    if (before !== undefined && /\d/.test(before)) continue;
    const run = match[0];
    const kind = kindOfRun(run) ?? (/x$/i.test(run) ? kindOfRun(run.slice(0, -1)) : null);
    if (kind) return kind;
  }
  return null;
}

/** The first place (a dotted path) in a value, at any depth, keys included, holding personal data. */
export function findPersonalData(value: unknown, path = ''): { path: string; kind: PersonalDataKind } | null {
  if (typeof value === 'string' || typeof value === 'number') {
    const kind = personalDataIn(value);
    return kind ? { path: path || '(value)', kind } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findPersonalData(item, path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const inKey = personalDataIn(key);
      if (inKey) return { path: at, kind: inKey };
      const found = findPersonalData(item, at);
      if (found) return found;
    }
  }
  return null;
}
