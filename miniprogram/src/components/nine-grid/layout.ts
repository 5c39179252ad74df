import type { MyDraw } from '@shared/contracts/draws';
import type { IconName } from '../icon';

type Prize = MyDraw['prizes'][number];

/** The eight outer cells of the 3×3 grid, clockwise from the top left; the centre (4) is the button. */
export const RING = [0, 1, 2, 5, 8, 7, 6, 3];

/**
 * Whether drawing may give nothing: 谢谢参与 has odds of its own, or a prize has run out (its odds
 * went to 谢谢参与). Caps reached by one customer may also give it: `cellsOf` then makes room.
 */
export function noWinShown(prizes: Prize[], fallbackCode: string): boolean {
  return prizes.some((p) => (p.code === fallbackCode ? p.oddsPercent > 0 : p.left === 0));
}

/**
 * The grid is presentation only (the server picks the outcome): each prize once, in the bank's
 * order, then the prizes again round the ring until the eight cells are full; one 谢谢参与 cell
 * last when drawing may give nothing. So there are never more 谢谢参与 cells than prizes.
 */
export function cellsOf(prizes: Prize[], fallbackCode: string): Prize[] {
  const real = prizes.filter((p) => p.code !== fallbackCode);
  const fallback = prizes.find((p) => p.code === fallbackCode);
  const thanks = fallback && (real.length === 0 || noWinShown(prizes, fallbackCode)) ? [fallback] : [];
  const slots = RING.length - thanks.length;
  const cells = Array.from({ length: slots }, (_, k) => real[k % real.length]);
  return [...cells, ...thanks];
}

/** The cell the light stops on: the next one, going round from `from`, that shows this prize; -1 when none does. */
export function landingCell(cells: Prize[], code: string, from: number): number {
  for (let d = 1; d <= cells.length; d++) {
    const k = (from + d) % cells.length;
    if (cells[k].code === code) return k;
  }
  return -1;
}

/** The icon and tint a prize is drawn with, by its kind (and what its name says it is). */
export function prizeIcon(prize: Pick<Prize, 'kind' | 'name'>): [IconName, string] {
  if (prize.kind === 'points') return ['points', 'red'];
  if (prize.kind === 'coupon') return /咖啡|茶|饮/.test(prize.name) ? ['cup', 'amber'] : ['coupon', 'red'];
  if (prize.kind === 'physical' || prize.kind === 'mall_item') return /杯/.test(prize.name) ? ['cup', 'blue'] : ['gift', 'purple'];
  return ['smile', 'off'];
}
