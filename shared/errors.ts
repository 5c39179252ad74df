// Stable error codes shared by the BFF and the mini-program. Kept free of zod so the
// mini-program can import it without pulling a schema library into its bundle.

export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  BAD_JSON: 'BAD_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  NOT_FOUND: 'NOT_FOUND',
  AUTH_REQUIRED: 'AUTH_REQUIRED',
  AUTH_TOKEN_EXPIRED: 'AUTH_TOKEN_EXPIRED',
  AUTH_TOKEN_INVALID: 'AUTH_TOKEN_INVALID',
  AUTH_REFRESH_INVALID: 'AUTH_REFRESH_INVALID',
  AUTH_REFRESH_REUSED: 'AUTH_REFRESH_REUSED',
  AUTH_BAD_CREDENTIALS: 'AUTH_BAD_CREDENTIALS',
  AUTH_ACCOUNT_LOCKED: 'AUTH_ACCOUNT_LOCKED',
  FORBIDDEN: 'FORBIDDEN',
  WECHAT_CODE_INVALID: 'WECHAT_CODE_INVALID',
  WECHAT_CODE_USED: 'WECHAT_CODE_USED',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_IN_PROGRESS: 'IDEMPOTENCY_IN_PROGRESS',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What a customer or operator reads for each code. */
export const errorMessagesZh: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '提交的内容有误，请检查后重试',
  BAD_JSON: '请求格式有误',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  NOT_FOUND: '请求的内容不存在',
  AUTH_REQUIRED: '请先登录',
  AUTH_TOKEN_EXPIRED: '登录已过期，请重新登录',
  AUTH_TOKEN_INVALID: '登录状态无效，请重新登录',
  AUTH_REFRESH_INVALID: '登录状态已失效，请重新登录',
  AUTH_REFRESH_REUSED: '检测到登录凭证被重复使用，已为您安全退出，请重新登录',
  AUTH_BAD_CREDENTIALS: '用户名或密码错误',
  AUTH_ACCOUNT_LOCKED: '登录失败次数过多，账号已临时锁定，请稍后再试',
  FORBIDDEN: '您没有权限进行此操作',
  WECHAT_CODE_INVALID: '微信登录凭证无效，请重试',
  WECHAT_CODE_USED: '微信登录凭证已使用，请重试',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后再试',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  IDEMPOTENCY_KEY_REUSED: '重复提交的内容不一致，请刷新后重试',
  IDEMPOTENCY_IN_PROGRESS: '请求正在处理中，请稍候',
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL: '系统繁忙，请稍后再试',
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ErrorCode, value);
}
