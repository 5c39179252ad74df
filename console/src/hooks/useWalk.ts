import { useCallback, useEffect, useRef, useState } from 'react';

/** A page of a check walked to its end: `next` is where the following page starts, and only the last page is `complete`. */
type Page = { next: string | null; complete: boolean };
export type Walk<P extends Page> = {
  pages: P[];
  running: boolean;
  /** Why the walk stopped before its last page (null while it runs or once it is complete). */
  error: unknown;
  complete: boolean;
  /** From the first page again, forgetting what was found. */
  restart: () => void;
  /** From the page that failed, keeping the pages before it. */
  resume: () => void;
};

/**
 * Walks a paged check page after page until its last, from when the component mounts. Only a
 * walk whose last page says `complete` is a whole check; one that stopped keeps its pages and
 * its error, and can go on from where it stopped. A walk started again drops the one before.
 */
export function useWalk<P extends Page>(fetchPage: (cursor: string | undefined) => Promise<P>): Walk<P> {
  const [pages, setPages] = useState<P[]>([]);
  const [running, setRunning] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(0);

  const walk = useCallback(
    async (kept: P[]) => {
      const mine = ++latest.current;
      setPages(kept);
      setError(null);
      setRunning(true);
      let done = kept;
      try {
        while (done.length === 0 || !done[done.length - 1].complete) {
          const page = await fetchPage(done[done.length - 1]?.next ?? undefined);
          if (mine !== latest.current) return;
          done = [...done, page];
          setPages(done);
        }
      } catch (err) {
        if (mine === latest.current) setError(err);
      } finally {
        if (mine === latest.current) setRunning(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    const walks = latest;
    void walk([]);
    // Leaving the page stops the walk: a page arriving afterwards is dropped.
    return () => void walks.current++;
  }, [walk]);

  return {
    pages,
    running,
    error,
    complete: pages[pages.length - 1]?.complete === true,
    restart: useCallback(() => void walk([]), [walk]),
    resume: useCallback(() => void walk(pages), [walk, pages]),
  };
}
