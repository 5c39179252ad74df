import { cellsOf, landingCell, noWinShown } from '../../miniprogram/src/components/nine-grid/layout';

const prize = (code: string, oddsPercent: number, left: number | null = 10) => ({
  code,
  name: code,
  kind: code === 'THANKS' ? ('none' as const) : ('points' as const),
  quantity: left === null ? null : 10,
  left,
  oddsPercent,
  dailyCap: null,
  perCustomerCap: null,
  validDays: null,
});

describe('the nine grid’s layout (presentation only: the server picks the outcome)', () => {
  test('each prize at least once, the rest repeats, and one 谢谢参与 cell when it has odds', () => {
    const cells = cellsOf([prize('A', 30), prize('B', 20), prize('C', 5), prize('THANKS', 45, null)], 'THANKS').map((p) => p.code);
    expect(cells).toEqual(['A', 'B', 'C', 'A', 'B', 'C', 'A', 'THANKS']);
  });

  test('no 谢谢参与 cell when nothing can give it; one as soon as a prize has run out', () => {
    const prizes = [prize('A', 50), prize('B', 50), prize('THANKS', 0, null)];
    expect(cellsOf(prizes, 'THANKS').map((p) => p.code)).toEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B']);
    expect(noWinShown(prizes, 'THANKS')).toBe(false);
    const soldOut = [prize('A', 50, 0), prize('B', 50), prize('THANKS', 0, null)];
    expect(cellsOf(soldOut, 'THANKS').filter((p) => p.code === 'THANKS')).toHaveLength(1);
  });

  test('seven prizes and 谢谢参与 fill the eight cells once each', () => {
    const prizes = [...'ABCDEFG'].map((c) => prize(c, 10)).concat(prize('THANKS', 30, null));
    expect(cellsOf(prizes, 'THANKS').map((p) => p.code)).toEqual([...'ABCDEFG', 'THANKS']);
  });

  test('the light lands on the next cell showing the chosen prize, or -1 when none does', () => {
    const cells = cellsOf([prize('A', 30), prize('B', 20), prize('THANKS', 50, null)], 'THANKS');
    expect(landingCell(cells, 'A', 0)).toBe(2);
    expect(landingCell(cells, 'THANKS', 3)).toBe(7);
    expect(landingCell(cells, 'B', 5)).toBe(1);
    expect(landingCell(cells, 'Z', 0)).toBe(-1);
  });
});
