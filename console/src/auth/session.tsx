import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { StaffProfile } from '@shared/contracts/profile';
import { call, sessionStore, setExpiredHandler, signIn, signOut } from '../api/client';
import { allows, type Permission } from './permissions';

type SessionState = {
  profile: StaffProfile | null;
  /** The session ran out and could not be renewed: the app shows the expired page. */
  expired: boolean;
  loading: boolean;
  can(permission: Permission): boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
};

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [profile, setProfile] = useState<StaffProfile | null>(null);
  const [expired, setExpired] = useState(false);
  const [loading, setLoading] = useState(() => sessionStore.read() !== null);

  useEffect(() => {
    setExpiredHandler(() => {
      setProfile(null);
      setExpired(true);
    });
    if (!sessionStore.read()) return;
    call('getStaffProfile')
      .then(setProfile)
      .catch(() => setProfile(null))
      .finally(() => setLoading(false));
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    await signIn(username, password);
    setProfile(await call('getStaffProfile'));
    setExpired(false);
  }, []);
  const logout = useCallback(async () => {
    await signOut();
    setProfile(null);
  }, []);

  const value = useMemo<SessionState>(
    () => ({ profile, expired, loading, can: (permission) => allows(profile?.role, permission), login, logout }),
    [profile, expired, loading, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
