import { useEffect, useRef, useState } from 'react';

/** The server's clock minus the phone's, from a `serverNow` the BFF answered with (the phone's clock may be off). */
export const clockOffset = (serverNow: string) => Date.parse(serverNow) - Date.now();

/** Seconds left until the server's deadline, by the server's clock (the phone's plus `offsetMs`); 0 once it has passed. */
export function useCountdown(deadline: string | null, offsetMs: number): number {
  const left = () => (deadline ? Math.max(0, Math.ceil((Date.parse(deadline) - (Date.now() + offsetMs)) / 1000)) : 0);
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (!deadline) return;
    const timer = setInterval(() => setSeconds(left()), 500);
    return () => clearInterval(timer);
  }, [deadline, offsetMs]); // eslint-disable-line react-hooks/exhaustive-deps
  return seconds;
}

/**
 * What a screen reader is told of the clock: not every second, only as it passes 1 minute and 10 seconds
 * left, and when time is up (the visible clock is a `timer`, which is not read out by itself).
 */
export function useTimeAnnouncement(seconds: number, running: boolean): string {
  const [said, setSaid] = useState('');
  const before = useRef<number | null>(null);
  useEffect(() => {
    const was = before.current;
    before.current = running ? seconds : null;
    if (!running || was === null) return;
    if (was > 60 && seconds <= 60 && seconds > 10) setSaid('答题剩余 1 分钟');
    else if (was > 10 && seconds <= 10 && seconds > 0) setSaid('答题剩余 10 秒');
    else if (was > 0 && seconds === 0) setSaid('答题时间到，正在提交');
  }, [seconds, running]);
  return said;
}
