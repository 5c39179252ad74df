import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Loading } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
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

/**
 * The loading, error and empty states every page shares; children render only when there is
 * data. Drawn locally: no illustration is fetched from a third-party CDN.
 */
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
        <Text className='state-view__glyph'>!</Text>
        <Text className='state-view__title'>加载失败</Text>
        <Text className='state-view__text'>{error.message}</Text>
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
        <Text className='state-view__glyph state-view__glyph--empty'>○</Text>
        <Text className='state-view__text'>{emptyText}</Text>
      </View>
    );
  }
  return <>{children}</>;
}

export function SectionTitle({ children }: { children: ReactNode }) {
  return <Text className='state-view__section-title'>{children}</Text>;
}
