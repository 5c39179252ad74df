import Taro from '@tarojs/taro';
import type { Session } from '@shared/contracts/auth';
import type { FollowUpMethod, FollowUpOutcome } from '@shared/contracts/follow-ups';
import type { FollowUpInput } from '@shared/contracts/marketing-tasks';
import { clientOf, type WireRequest } from '@shared/api/wire';
import { RM_OPERATIONS } from '@shared/api/rm-operations';
import { ApiError, API_PREFIX, callWith, send } from './http';

const STORAGE_KEY = 'bank.staffSession';
type Stored = Pick<Session, 'accessToken' | 'refreshToken' | 'role' | 'subject'>;

/** The relationship manager's own session, apart from the customer's: the same phone may hold both. */
const load = () => (Taro.getStorageSync(STORAGE_KEY) as Stored) || null;
const save = (s: Session): Stored => {
  const stored = { accessToken: s.accessToken, refreshToken: s.refreshToken, role: s.role, subject: s.subject };
  Taro.setStorageSync(STORAGE_KEY, stored);
  return stored;
};
export const hasStaffSession = () => load()?.role === 'rm';
export function staffLogout(): void {
  const stored = load();
  Taro.removeStorageSync(STORAGE_KEY);
  if (stored) void callWith()('logout', { body: { refreshToken: stored.refreshToken } }).catch(() => undefined);
}

export async function staffLogin(username: string, password: string): Promise<void> {
  const session = await callWith()('loginStaff', { body: { username, password } });
  if (session.role !== 'rm') {
    void callWith()('logout', { body: { refreshToken: session.refreshToken } }).catch(() => undefined);
    throw new ApiError('FORBIDDEN', 403);
  }
  save(session);
}

/** Calls the BFF as the manager; an expired token is renewed once, and a lost session asks to sign in again. */
async function staffRequest(request: WireRequest): Promise<unknown> {
  const stored = load();
  if (!stored) throw new ApiError('AUTH_REQUIRED', 401);
  try {
    return await send(request, stored.accessToken);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    try {
      const renewed = save(await callWith()('refreshSession', { body: { refreshToken: stored.refreshToken } }));
      return await send(request, renewed.accessToken);
    } catch (again) {
      Taro.removeStorageSync(STORAGE_KEY);
      throw again;
    }
  }
}

const staffCall = clientOf(RM_OPERATIONS, staffRequest);

export const getMyFigures = () => staffCall('getMyReferralFigures');
export const getMyCustomers = (before?: number) => staffCall('listMyManagedCustomers', { query: { limit: 20, before } });
export const getPosterActivities = () => staffCall('listPosterActivities');
export const getMyPoster = (activityId?: string) => staffCall('getMyPoster', { query: { activityId } });
export const getUsableContent = () => staffCall('listUsableContent');
export const shareContent = (id: string) => staffCall('shareContent', { params: { id }, body: {} });
export const getMyLeads = (before?: number) => staffCall('listMyLeads', { query: { limit: 20, before } });
export const followUpLead = (id: string, body: { method: FollowUpMethod; outcome: FollowUpOutcome; note?: string }) => staffCall('followUpMyLead', { params: { id }, body });
export const getMyPerformance = () => staffCall('getMyPerformance');

/** The poster's code image, as a local path the canvas can draw (weapp) or an object URL (H5). */
export async function posterImage(wxacodePath: string): Promise<string> {
  const stored = load();
  if (!stored) throw new ApiError('AUTH_REQUIRED', 401);
  const url = `${API_PREFIX}${wxacodePath}`;
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${stored.accessToken}` } });
    if (!res.ok) throw new ApiError('INTERNAL', res.status);
    return URL.createObjectURL(await res.blob());
  }
  const res = await Taro.downloadFile({ url, header: { Authorization: `Bearer ${stored.accessToken}` } });
  if (res.statusCode !== 200) throw new ApiError('INTERNAL', res.statusCode);
  return res.tempFilePath;
}

export const getMyTasks = () => staffCall('listMyRmTasks');
export const getMyTask = (id: string) => staffCall('getMyRmTask', { params: { id } });
export const shareMyTask = (id: string) => staffCall('shareMyRmTask', { params: { id } });
export const recordFollowUp = (id: string, body: FollowUpInput) => staffCall('recordRmTaskFollowUp', { params: { id }, body });
