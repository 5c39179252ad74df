import { formatDate, formatDay, formatTime } from '../../miniprogram/src/utils/format';

describe('dates on the mini-program', () => {
  const now = new Date('2026-12-05T12:00:00+08:00');
  test('a day in the current year has no year; one in another year has it', () => {
    expect(formatDay('2026-12-31T15:59:59.999Z', now)).toBe('12月31日');
    expect(formatDay('2027-12-31T15:59:59.999Z', now)).toBe('2027年12月31日');
    expect(formatDay('2025-01-04T00:00:00+08:00', now)).toBe('2025年1月4日');
  });
  test('in Beijing time whatever the zone: the last instant of a bank day is still that day, the next is the next', () => {
    expect(formatDay('2026-12-31T15:59:59.999Z', now)).toBe('12月31日');
    expect(formatDay('2026-12-31T16:00:00.000Z', now)).toBe('2027年1月1日');
    expect(formatDate('2026-11-30T16:30:00Z')).toBe('2026年12月1日');
    expect(formatTime('2026-12-01T08:05:00Z')).toBe('16:05');
    expect(formatTime('2026-12-01T16:00:00Z')).toBe('00:00');
  });
});
