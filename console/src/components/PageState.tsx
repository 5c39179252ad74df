import { Alert, Button, Empty, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

/** Loading, error and empty states every page shows the same way; the content otherwise. */
export function PageState({
  loading,
  error,
  empty,
  emptyText,
  emptyAction,
  onRetry,
  children,
}: {
  loading: boolean;
  error: ApiError | null;
  empty?: boolean;
  emptyText?: string;
  emptyAction?: ReactNode;
  onRetry?: () => void;
  children: ReactNode;
}) {
  if (error?.status === 403) return <Result status="403" title="无权查看" subTitle={error.message} />;
  if (error?.status === 404) return <Result status="404" title="未找到" subTitle="内容不存在，或不在您所在机构的管辖范围内" />;
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        message="加载失败"
        description={`${error.message}${error.requestId ? `（请求编号 ${error.requestId}）` : ''}`}
        action={onRetry ? <Button onClick={onRetry}>重试</Button> : undefined}
      />
    );
  }
  if (loading) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (empty) return <Empty description={emptyText ?? '暂无数据'}>{emptyAction}</Empty>;
  return <>{children}</>;
}

/** A refusal shown where it happened, with its request id for the help desk. */
/** A failure in words; the request number only for an unexpected one (5xx), which is what support needs it for. */
export const errorText = (err: unknown) => {
  const e = err as ApiError;
  return `${e.message ?? String(err)}${e.requestId && e.status >= 500 ? `（请求编号 ${e.requestId}）` : ''}`;
};
