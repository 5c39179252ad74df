import { findPersonalData, personalDataIn } from '../../shared/pii';

/** A 16-digit serial made to pass Luhn, as one in ten does by chance. */
function luhnValid(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const n = `${body}${d}`;
    const sum = [...n].reverse().reduce((acc, c, i) => acc + (i % 2 ? ((Number(c) * 2) % 10) + Math.floor((Number(c) * 2) / 10) : Number(c)), 0);
    if (sum % 10 === 0) return n;
  }
  throw new Error('unreachable');
}

describe('personal data in events (shared/pii)', () => {
  test.each([
    ['13800138000', 'mobile'],
    ['+8613800138000', 'mobile'],
    ['0086 138 0013 8000', 'mobile'],
    ['138-0013-8000', 'mobile'],
    ['138 0013 8000', 'mobile'],
    ['138.0013.8000', 'mobile'],
    ['１３８００１３８０００', 'mobile'],
    ['请联系13800138000', 'mobile'],
    ['tel13800138000', 'mobile'],
    ['pages/u/13800138000/index', 'mobile'],
    ['13800138000 12:00', 'mobile'],
    ['138 0013 8000 2', 'mobile'],
    ['310101199001011234', 'id_number'],
    ['11010119900307123X', 'id_number'],
    ['110101 19900307 123X', 'id_number'],
    ['110101900307123', 'id_number'],
    ['4111111111111111', 'card_number'],
    ['4111 1111 1111 1111', 'card_number'],
  ])('%s is %s', (text, kind) => {
    expect(personalDataIn(text)).toBe(kind);
  });

  test.each([
    '2026-12-05T02:40:15.123Z',
    '2026-12-05 13:00:00',
    '0f3c2b1a-1234-4abc-8def-123456789012',
    'MOb33fac56604397266968e4db13edb7',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'order2026120100012345',
    '12345678901',
    'pages/index/index',
  ])('%s is not personal data', (text) => {
    expect(personalDataIn(text)).toBeNull();
  });

  test('a number is read as its digits: a phone sent as a JSON number is found', () => {
    expect(personalDataIn(13800138000)).toBe('mobile');
    expect(personalDataIn(3.14159265358979)).toBeNull();
    expect(findPersonalData({ props: { a: { b: ['x', 13800138000] } } })).toEqual({ path: 'props.a.b.1', kind: 'mobile' });
  });

  test('ids and codes of our own events are serials: card rules are not applied to them when lenient, everything else is', () => {
    const serial = luhnValid('202612010001234');
    expect(personalDataIn(serial)).toBe('card_number');
    expect(findPersonalData({ data: { eventId: `conversion:${serial}`, itemCode: serial } }, { identifiers: 'lenient' })).toBeNull();
    expect(findPersonalData({ data: { note: serial } }, { identifiers: 'lenient' })).toEqual({ path: 'data.note', kind: 'card_number' });
    expect(findPersonalData({ data: { subjectId: '13800138000' } }, { identifiers: 'lenient' })).toEqual({ path: 'data.subjectId', kind: 'mobile' });
    expect(findPersonalData({ itemId: serial })).toEqual({ path: 'itemId', kind: 'card_number' });
  });
});
