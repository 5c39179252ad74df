import { ensureSession, renewSession } from './session';
import { ApiError, rawRequest } from './http';

export { ApiError };

const RENEWABLE = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_INVALID', 'AUTH_REQUIRED']);

/** Calls the BFF as the signed-in customer; on an expired token it renews once and retries. */
export async function apiRequest<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  const session = await ensureSession();
  try {
    return await rawRequest<T>(method, path, body, session.accessToken, headers);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401 || !RENEWABLE.has(err.code)) throw err;
    const renewed = await renewSession();
    return rawRequest<T>(method, path, body, renewed.accessToken, headers);
  }
}
