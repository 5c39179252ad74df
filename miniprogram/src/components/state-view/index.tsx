import type { ReactNode } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { isConsentRefusal, type ApiError } from '../../api/client';
import { requestConsent } from '../../privacy/consent';
import emptyArt from '../../assets/state-empty.svg';
import errorArt from '../../assets/state-error.svg';
import lockArt from '../../assets/state-lock.svg';
import './index.scss';

/** A small drawn illustration over a state's words (decorative: the words say it all). */
function Art({ kind }: { kind: 'empty' | 'error' | 'lock' }) {
  const src = kind === 'empty' ? emptyArt : kind === 'error' ? errorArt : lockArt;
  return <Image className="state-view__art" src={src} mode="aspectFit" aria-hidden="true" data-testid={`state-art-${kind}`} />;
}

type StateViewProps = {
  loading?: boolean;
  error?: ApiError | null;
  empty?: boolean;
  emptyText?: string;
  /** Where to go from an empty page: every empty state offers a next step. */
  emptyAction?: { label: string; onClick: () => void };
  /** A failed refresh while data is on screen: the data stays, under a notice. */
  stale?: ApiError | null;
  onRetry?: () => void;
  /** What this page shows once the customer agrees to the privacy policy (如 `同意隐私政策后可查看您的积分`). */
  consentText?: string;
  /** A page's own words for a refusal (an order not found) and its way on, instead of the general ones. */
  refusal?: { title: string; text?: string; action: { label: string; onClick: () => void } };
  children?: ReactNode;
};

/** Where a refusal leaves the customer: what it is, and the way on (retrying would only be refused again). */
function refusalOf(error: ApiError): { title: string; action: { label: string; url: string } } {
  const aboutActivity = error.code === 'NOT_FOUND' || error.code.startsWith('ACTIVITY_') || error.code.startsWith('DRAW_') || error.code.startsWith('QUIZ_');
  const title = error.code === 'NOT_FOUND' ? '内容不存在或已下线' : error.message;
  return { title, action: aboutActivity ? { label: '看看其他活动', url: '/pages/activities/index' } : { label: '返回首页', url: '/pages/index/index' } };
}

/** What to do about a failure, in the customer's words. */
function adviceFor(error: ApiError): string {
  if (error.code === 'NETWORK') return '请检查网络连接后重试';
  if (error.status >= 500 || error.code === 'SERVICE_UNAVAILABLE') return '请稍后重试；如多次失败，请在「我的 - 设置 - 联系客服」中提供下方编号';
  return '请重试，或返回上一页';
}

/** Grey blocks in the shape of a page's content while it loads, instead of a bare spinner. */
export function Skeleton({ rows = 3 }: { rows?: number }) {
  return (
    <View className="skeleton" data-testid="state-loading" aria-busy>
      <View className="skeleton__block skeleton__block--hero" />
      {Array.from({ length: rows }, (_, i) => (
        <View key={i} className="skeleton__row">
          <View className="skeleton__block skeleton__block--thumb" />
          <View className="skeleton__lines">
            <View className="skeleton__block skeleton__block--line" />
            <View className="skeleton__block skeleton__block--short" />
          </View>
        </View>
      ))}
    </View>
  );
}

/**
 * The loading, error and empty states every page shares; children render only when there is
 * data. Drawn locally: no illustration is fetched from a third-party CDN.
 */
/**
 * A page whose content needs consent to the privacy policy, before it is given: said honestly,
 * with the way to agree (the page loads by itself once they do). After a deletion request: why not.
 */
export function ConsentState({ error, text = '同意隐私政策后可查看' }: { error: ApiError; text?: string }) {
  if (error.code === 'PRIVACY_DELETION_REQUESTED') {
    return (
      <View className="state-view" data-testid="state-consent">
        <Art kind="lock" />
        <Text className="state-view__title">个人信息删除处理中</Text>
        <Text className="state-view__text">您已申请删除个人信息，相关服务已停止。如有疑问，请联系客服。</Text>
      </View>
    );
  }
  return (
    <View className="state-view" data-testid="state-consent">
      <Art kind="lock" />
      <Text className="state-view__title">{text}</Text>
      <Text className="state-view__text">此服务需要处理您的个人信息，请先阅读并同意隐私政策。</Text>
      <Button type="primary" onClick={() => requestConsent()} data-testid="state-consent-agree">
        同意隐私政策
      </Button>
    </View>
  );
}

export function StateView({
  loading = false,
  error = null,
  empty = false,
  emptyText = '暂无内容',
  emptyAction,
  stale = null,
  onRetry,
  consentText,
  refusal: own,
  children,
}: StateViewProps) {
  if (loading) return <Skeleton />;
  if (error && isConsentRefusal(error)) return <ConsentState error={error} text={consentText} />;
  if (error && error.status >= 400 && error.status < 500 && error.status !== 429) {
    const general = refusalOf(error);
    const refusal = own ?? { title: general.title, text: undefined, action: { label: general.action.label, onClick: () => void Taro.switchTab({ url: general.action.url }) } };
    return (
      <View className="state-view" data-testid="state-refused">
        <Art kind="empty" />
        <Text className="state-view__title">{refusal.title}</Text>
        {refusal.text && <Text className="state-view__text">{refusal.text}</Text>}
        <Button type="primary" onClick={refusal.action.onClick} data-testid="state-refused-action">
          {refusal.action.label}
        </Button>
      </View>
    );
  }
  if (error) {
    return (
      <View className="state-view" data-testid="state-error">
        <Art kind="error" />
        <Text className="state-view__title">{error.code === 'NETWORK' ? '网络不可用' : '加载失败'}</Text>
        <Text className="state-view__text">{error.message}</Text>
        <Text className="state-view__text">{adviceFor(error)}</Text>
        {onRetry && (
          <Button type="primary" onClick={onRetry} data-testid="state-retry">
            重新加载
          </Button>
        )}
        {error.unexpected && error.requestId && <Text className="state-view__request-id">编号 {error.requestId}</Text>}
      </View>
    );
  }
  if (empty) {
    return (
      <View className="state-view" data-testid="state-empty">
        <Art kind="empty" />
        <Text className="state-view__text">{emptyText}</Text>
        {emptyAction && (
          <Button type="primary" onClick={emptyAction.onClick} data-testid="state-empty-action">
            {emptyAction.label}
          </Button>
        )}
      </View>
    );
  }
  return (
    <>
      {stale && isConsentRefusal(stale) && (
        <View className="state-view__stale" data-testid="state-stale">
          <Text>以下是上次加载的内容，同意隐私政策后可查看最新内容</Text>
          {stale.code === 'PRIVACY_CONSENT_REQUIRED' && (
            <Text className="state-view__stale-retry" onClick={() => requestConsent()}>
              同意
            </Text>
          )}
        </View>
      )}
      {stale && !isConsentRefusal(stale) && (
        <View className="state-view__stale" data-testid="state-stale">
          <Text>{stale.code === 'NETWORK' ? '网络不可用，以下是上次加载的内容' : '刷新失败，以下是上次加载的内容'}</Text>
          {onRetry && (
            <Text className="state-view__stale-retry" onClick={onRetry}>
              重试
            </Text>
          )}
        </View>
      )}
      {children}
    </>
  );
}

export function SectionTitle({ children }: { children: ReactNode }) {
  return <Text className="state-view__section-title">{children}</Text>;
}
