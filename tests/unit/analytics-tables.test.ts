import { analyticsTable, percent } from '../../shared/analytics-tables';
import { ANALYTICS_TABLES, type ActivityAnalytics } from '../../shared/contracts/analytics';

const arm = (customers: number, converted: number) => ({ customers, converted, rate: customers ? converted / customers : 0 });
const report = (control: ActivityAnalytics['experiment']['control']): ActivityAnalytics => ({
  activityId: 'a',
  funnel: [
    { step: 'impression', customers: 7, reachedOtherWay: null, dropOff: null, medianSecondsFromPrevious: null },
    { step: 'click', customers: 3, reachedOtherWay: 2, dropOff: 0.571429, medianSecondsFromPrevious: 12.5 },
    { step: 'participate', customers: 0, reachedOtherWay: 0, dropOff: 1, medianSecondsFromPrevious: null },
    { step: 'reward', customers: 0, reachedOtherWay: 0, dropOff: null, medianSecondsFromPrevious: null },
    { step: 'convert', customers: 0, reachedOtherWay: 1, dropOff: null, medianSecondsFromPrevious: null },
  ],
  trend: [{ day: '2026-12-06', impression: 7, click: 5, participate: 0, reward: 0, convert: 1 }],
  experiment: {
    conversion: 'any',
    controlGroupPercent: control ? 50 : 0,
    assigned: arm(9, 3),
    reached: arm(7, 1),
    control,
    noControlReason: control ? null : 'not_configured',
    participants: arm(0, 0),
    difference: control ? 0.1 + 0.2 : null, // 0.30000000000000004
    ci95: control ? { low: -0.123456, high: 0.4 } : null,
    method: 'newcombe-hybrid-score',
    relativeLift: null,
    significant: false,
  },
  referral: null,
  budget: null,
});

describe('the 活动效果 tables (console and CSV alike)', () => {
  test('percentages have one decimal and no float noise', () => {
    expect(percent(0.1 + 0.2)).toBe(30);
    expect(percent(2 / 3)).toBe(66.7);
    expect(percent(0.571429)).toBe(57.1);
  });

  test('every row has the header’s width, and no cell is a boolean, undefined or an English enum value', () => {
    for (const control of [null, arm(4, 0)]) {
      for (const name of ANALYTICS_TABLES) {
        const { columns, rows } = analyticsTable(report(control), name);
        for (const row of rows) expect(row).toHaveLength(columns.length);
        for (const cell of [...columns, ...rows.flat()]) {
          expect(['string', 'number', 'object']).toContain(typeof cell);
          if (typeof cell === 'string') expect(cell).not.toMatch(/[a-z]+_[a-z]+|\b(true|false|null|undefined)\b/);
        }
      }
    }
  });

  test('without a control group the control row and the difference say 未设对照组 and give no figures', () => {
    const r = report(null);
    expect(analyticsTable(r, 'experiment').rows[2]).toEqual(['对照组', '未设对照组：活动未设置对照比例（0%）', null, null]);
    expect(analyticsTable(r, 'difference').rows).toEqual([['实验组（已分组，含未触达） − 对照组', '未设对照组：活动未设置对照比例（0%）', null, null, null]]);
  });

  test('with one, the difference and its interval are in percentage points', () => {
    expect(analyticsTable(report(arm(4, 0)), 'difference').rows).toEqual([['实验组（已分组，含未触达） − 对照组', 30, -12.3, 40, '不显著']]);
  });
});
