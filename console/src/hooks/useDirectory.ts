import { useEffect, useState } from 'react';
import { directory, type Directory } from '@/api/directory';
import { useSession } from '@/auth/session';

/** The caller's directory once read (null until then, and for a role that may not read it: names then show as they are). */
export function useDirectory(): Directory | null {
  const { profile } = useSession();
  const [loaded, setLoaded] = useState<Directory | null>(null);
  const reader = profile?.role === 'admin' || profile?.role === 'reviewer' ? profile.id : null;
  useEffect(() => {
    setLoaded(null);
    if (!reader) return;
    let live = true;
    directory(reader)
      .then((d) => live && setLoaded(d))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [reader]);
  return loaded;
}
