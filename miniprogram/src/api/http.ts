import Taro from '@tarojs/taro';
import { errorMessagesZh, isErrorCode, type ErrorCode } from '@shared/errors';
import { clientOf, type WireRequest } from '@shared/api/wire';
import { CUSTOMER_OPERATIONS } from '@shared/api/customer-operations';
import type { Method } from '@shared/api/endpoint';

export const API_PREFIX = `${API_BASE_URL}/api/v1`;

type ClientErrorCode = ErrorCode | 'NETWORK';

/** An API failure with the Chinese message a customer should read. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number;
  readonly requestId?: string;
  /** Field-level problems the BFF reported (`body.name` …), for forms to show beside each field. */
  readonly issues: { path: string; message: string }[];
  constructor(code: ClientErrorCode, status: number, requestId?: string, issues: { path: string; message: string }[] = []) {
    super(code === 'NETWORK' ? '网络异常，请检查网络后重试' : errorMessagesZh[code]);
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.issues = issues;
  }

  /**
   * A failure nobody meant (the BFF or its database failing), the one kind whose request number
   * customer service needs. A refusal (an activity that ended, too few points) is said as it is.
   */
  get unexpected(): boolean {
    return this.status >= 500;
  }
}

/** One HTTP call to the BFF, as the contract's client puts it on the wire, without session handling. */
export async function send(request: WireRequest, token?: string): Promise<unknown> {
  let res: Awaited<ReturnType<typeof Taro.request>>;
  try {
    res = await Taro.request({
      url: `${API_PREFIX}${request.path}`,
      method: request.method.toUpperCase() as Uppercase<Method>,
      data: request.body as Record<string, unknown> | undefined,
      header: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...request.headers },
      timeout: 15000,
    });
  } catch {
    throw new ApiError('NETWORK', 0);
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data;
  const data = (res.data ?? {}) as { code?: unknown; requestId?: string; issues?: unknown };
  const issues = Array.isArray(data.issues) ? (data.issues as { path: string; message: string }[]) : [];
  throw new ApiError(isErrorCode(data.code) ? data.code : 'INTERNAL', res.statusCode, data.requestId, issues);
}

/** Calls the BFF with `token`, or with none (signing in), and no session handling. */
export const callWith = (token?: string) => clientOf(CUSTOMER_OPERATIONS, (request) => send(request, token));
