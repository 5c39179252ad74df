import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Empty, Loading } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/loading/style/css';
import type { ApiError } from '../../api/client';
import './index.scss';

export type StateViewProps = {
  loading?: boolean;
  error?: ApiError | null;
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  children?: ReactNode;
};

/** The loading, error and empty states every page shares; children render only when there is data. */
export function StateView({ loading = false, error = null, empty = false, emptyText = '暂无内容', onRetry, children }: StateViewProps) {
  if (loading) {
    return (
      <View className='state-view' data-testid='state-loading'>
        <Loading type='circular'>加载中…</Loading>
      </View>
    );
  }
  if (error) {
    return (
      <View className='state-view' data-testid='state-error'>
        <Empty status='error' title='加载失败' description={error.message} />
        {onRetry && (
          <Button type='primary' size='small' onClick={onRetry} data-testid='state-retry'>
            重新加载
          </Button>
        )}
      </View>
    );
  }
  if (empty) {
    return (
      <View className='state-view' data-testid='state-empty'>
        <Empty status='empty' description={emptyText} />
      </View>
    );
  }
  return <>{children}</>;
}

export function SectionTitle({ children }: { children: ReactNode }) {
  return <Text className='state-view__section-title'>{children}</Text>;
}
