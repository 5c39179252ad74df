import { createClient, wireRequest, type WireRequest } from '@shared/api/client';
import type { Session } from '@shared/contracts/auth';

export type FieldIssue = { path: string; message: string };

/** A refusal from the BFF, with its stable code and, for validation, the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

const STORAGE_KEY = 'console.session';
const RENEWABLE = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_INVALID', 'AUTH_REQUIRED']);

/** Where the session lives: this tab only, gone when the browser closes (a shared branch PC). */
export const sessionStore = {
  read(): Session | null {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  },
  write(session: Session | null) {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  },
};

let onExpired: () => void = () => undefined;
/** What happens when the session cannot be renewed: the app shows its 会话已过期 page. */
export const setExpiredHandler = (handler: () => void) => {
  onExpired = handler;
};

/** How much of a request body has gone up, from 0 to 1. */
export type UploadProgress = (fraction: number) => void;

/** fetch cannot report an upload's progress; XMLHttpRequest can, and its answer is read as a Response. */
function sendWithProgress(method: string, url: string, headers: Record<string, string>, payload: string | undefined, onProgress: UploadProgress): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.upload.onload = () => onProgress(1);
    // A 204 or 304 may carry no body, and Response refuses one.
    const bodyOf = () => ([204, 205, 304].includes(xhr.status) ? null : xhr.responseText);
    xhr.onload = () => resolve(new Response(bodyOf(), { status: xhr.status, headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' } }));
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(payload ?? null);
  });
}

async function send(wire: WireRequest, token: string | undefined, onUploadProgress?: UploadProgress): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...wire.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: string | undefined;
  // A string body is the text of a textBody operation (the bulk CSV uploads); every other body is JSON.
  if (typeof wire.body === 'string') {
    headers['Content-Type'] = 'text/csv; charset=utf-8';
    payload = wire.body;
  } else if (wire.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(wire.body);
  }
  // fetch and XMLHttpRequest upper-case get, post, put and delete themselves, but not patch.
  const method = wire.method.toUpperCase();
  try {
    const url = `/api/v1${wire.path}`;
    return await (onUploadProgress ? sendWithProgress(method, url, headers, payload, onUploadProgress) : fetch(url, { method, headers, body: payload }));
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试', null);
  }
}

async function failure(res: Response): Promise<ApiError> {
  const data = (await res.json().catch(() => null)) as { code?: string; message?: string; requestId?: string; issues?: FieldIssue[] } | null;
  return new ApiError(res.status, data?.code ?? 'HTTP_ERROR', data?.message ?? `请求失败（${res.status}）`, data?.requestId ?? null, data?.issues ?? []);
}

let renewing: Promise<Session | null> | null = null;
/** One renewal at a time, however many requests found the token expired together. */
function renew(): Promise<Session | null> {
  renewing ??= (async () => {
    const current = sessionStore.read();
    if (!current) return null;
    const res = await send(wireRequest('refreshSession', { body: { refreshToken: current.refreshToken } }), undefined);
    const next = res.ok ? ((await res.json()) as Session) : null;
    sessionStore.write(next);
    return next;
  })().finally(() => {
    renewing = null;
  });
  return renewing;
}

/** Calls the BFF as the signed-in staff member; an expired token is renewed once, then the call is retried. */
export async function request(wire: WireRequest, onUploadProgress?: UploadProgress): Promise<Response> {
  const session = sessionStore.read();
  let res = await send(wire, session?.accessToken, onUploadProgress);
  if (res.status === 401 && session) {
    const data = (await res
      .clone()
      .json()
      .catch(() => null)) as { code?: string } | null;
    if (data?.code && RENEWABLE.has(data.code)) {
      const renewed = await renew();
      if (!renewed) {
        onExpired();
        throw await failure(res);
      }
      res = await send(wire, renewed.accessToken, onUploadProgress);
    }
  }
  if (res.status === 401 && sessionStore.read()) {
    sessionStore.write(null);
    onExpired();
  }
  if (!res.ok) throw await failure(res);
  return res;
}

const answer = async (res: Response): Promise<unknown> => (res.status === 204 ? undefined : res.json());

/** The BFF by operationId, typed from the contract in shared/contracts; `onUploadProgress` hears how much of each request body has gone up (bulk uploads). */
export const callReporting = (onUploadProgress?: UploadProgress) => createClient(async (wire) => answer(await request(wire, onUploadProgress)));

/** `call('getStaffProfile')`, `call('getActivity', { params: { id } })`. */
export const call = callReporting();

/** Signs in with a username and password; the session is kept for this tab. */
export async function signIn(username: string, password: string): Promise<Session> {
  const res = await send(wireRequest('loginStaff', { body: { username, password } }), undefined);
  if (!res.ok) throw await failure(res);
  const session = (await res.json()) as Session;
  sessionStore.write(session);
  return session;
}

export async function signOut(): Promise<void> {
  const session = sessionStore.read();
  sessionStore.write(null);
  if (session) await send(wireRequest('logout', { body: { refreshToken: session.refreshToken } }), session.accessToken).catch(() => undefined);
}
