import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { DrawOutcome, MyDraw } from '@shared/contracts/draws';
import { Icon } from '../icon';
import { cellsOf, landingCell, prizeIcon, RING } from './layout';
import './index.scss';

const LAPS = 3;

type Prize = MyDraw['prizes'][number];

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
  // The outcome the server chose, when no cell shows it (a cap reached gives 谢谢参与): it takes the last cell.
  const [extra, setExtra] = useState<Prize | null>(null);
  const laidOut = cellsOf(prizes, fallbackCode);
  const cells = extra ? [...laidOut.slice(0, -1), extra] : laidOut;
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
      // The light lands on a cell showing the prize the server chose (the next one round the ring).
      let landing = landingCell(cells, outcome.prizeCode, step);
      if (landing < 0) {
        const chosen = prizes.find((p) => p.code === outcome!.prizeCode);
        if (chosen) setExtra(chosen);
        landing = RING.length - 1;
      }
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
        const [icon, tint] = prizeIcon(prize);
        const soldOut = prize.left === 0;
        return (
          <View
            key={i}
            className={`nine-grid__cell ${lit === k ? 'nine-grid__cell--on' : ''} ${prize.code === fallbackCode ? 'nine-grid__cell--thanks' : ''} ${soldOut ? 'nine-grid__cell--sold-out' : ''}`}
            data-testid="draw-cell"
            data-code={prize.code}
            data-lit={lit === k ? 'yes' : 'no'}
            data-name={prize.name}
          >
            <View className={`nine-grid__art nine-grid__art--${tint}`}>
              <Icon name={icon} />
            </View>
            <Text className="nine-grid__name">{prize.name}</Text>
            {soldOut && <Text className="nine-grid__sold-out">已抽完</Text>}
          </View>
        );
      })}
    </View>
  );
}
