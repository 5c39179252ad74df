import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { DrawOutcome, MyDraw } from '@shared/contracts/draws';
import './index.scss';

/** The eight outer cells of the 3×3 grid, clockwise from the top left; the centre (4) is the button. */
const RING = [0, 1, 2, 5, 8, 7, 6, 3];
const LAPS = 3;

type Prize = MyDraw['prizes'][number];

/** Eight cells: the prizes in order, and 谢谢参与 in any left over. */
function cellsOf(prizes: Prize[], fallbackCode: string): Prize[] {
  const fallback = prizes.find((p) => p.code === fallbackCode)!;
  return RING.map((_, k) => prizes[k] ?? fallback);
}

/**
 * 九宫格: a light runs round the prizes while the server draws, then slows down onto the prize
 * the server chose (never one picked here). A failed draw stops the light where it is.
 */
export function NineGrid({
  prizes,
  fallbackCode,
  canDraw,
  buttonLabel,
  onDraw,
  onLanded,
}: {
  prizes: Prize[];
  fallbackCode: string;
  canDraw: boolean;
  buttonLabel: string;
  onDraw: () => Promise<DrawOutcome>;
  onLanded: (outcome: DrawOutcome) => void;
}) {
  const cells = cellsOf(prizes, fallbackCode);
  const [lit, setLit] = useState<number | null>(null);
  const [spinning, setSpinning] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  async function start() {
    if (spinning || !canDraw) return;
    setSpinning(true);
    let step = lit ?? 0;
    let stepsLeft = Infinity;
    let outcome: DrawOutcome | null = null;
    const tick = () => {
      step = (step + 1) % RING.length;
      setLit(step);
      stepsLeft -= 1;
      if (stepsLeft <= 0 && outcome) {
        setSpinning(false);
        onLanded(outcome);
        return;
      }
      // Fast while waiting, slowing down over the last lap.
      const delay = stepsLeft < RING.length ? 80 + (RING.length - stepsLeft) * 45 : 70;
      timer.current = setTimeout(tick, delay);
    };
    timer.current = setTimeout(tick, 70);
    try {
      outcome = await onDraw();
      const landing = outcome.cellIndex >= 0 && outcome.cellIndex < RING.length ? outcome.cellIndex : cells.findIndex((c) => c.code === outcome!.prizeCode);
      stepsLeft = LAPS * RING.length + ((landing - step + RING.length) % RING.length);
    } catch {
      if (timer.current) clearTimeout(timer.current);
      setSpinning(false);
    }
  }

  return (
    <View className="nine-grid" data-testid="nine-grid">
      {Array.from({ length: 9 }, (_, i) => {
        if (i === 4) {
          return (
            <View
              key="go"
              className={`nine-grid__go ${!canDraw || spinning ? 'nine-grid__go--off' : ''}`}
              role="button"
              aria-label={buttonLabel}
              aria-disabled={!canDraw || spinning}
              onClick={start}
              data-testid="draw-button"
            >
              <Text className="nine-grid__go-text">{spinning ? '抽奖中' : buttonLabel}</Text>
            </View>
          );
        }
        const k = RING.indexOf(i);
        const prize = cells[k];
        return (
          <View
            key={i}
            className={`nine-grid__cell ${lit === k ? 'nine-grid__cell--on' : ''} ${prize.code === fallbackCode ? 'nine-grid__cell--thanks' : ''}`}
            data-testid="draw-cell"
            data-code={prize.code}
            data-lit={lit === k ? 'yes' : 'no'}
          >
            <Text className="nine-grid__glyph">
              {prize.kind === 'points' ? '分' : prize.kind === 'coupon' ? '券' : prize.kind === 'physical' || prize.kind === 'mall_item' ? '礼' : '谢'}
            </Text>
            <Text className="nine-grid__name">{prize.name}</Text>
          </View>
        );
      })}
    </View>
  );
}
