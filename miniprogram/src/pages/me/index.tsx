import { View, Text } from '@tarojs/components';
import { Cell } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import { getMyProfile } from '../../api/profile';
import { useApi } from '../../hooks/useApi';
import { StateView } from '../../components/state-view';
import './index.scss';

function formatDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

export default function MePage() {
  const { data: profile, error, loading, reload } = useApi(getMyProfile);
  return (
    <View className='me-page'>
      <StateView loading={loading} error={error} onRetry={reload}>
        {profile && (
          <>
            <View className='me-page__header' data-testid='me-header'>
              <View className='me-page__avatar'>{(profile.nickname ?? '客').slice(0, 1)}</View>
              <View>
                <Text className='me-page__nickname'>{profile.nickname ?? '微信用户'}</Text>
                <Text className='me-page__member-no'>客户号 {profile.customerNo}</Text>
              </View>
            </View>
            <Cell.Group title='个人信息' className='me-page__group'>
              <Cell title='姓名' extra={<Text data-testid='me-name'>{profile.maskedName ?? '未实名'}</Text>} />
              <Cell title='手机号' extra={<Text data-testid='me-phone'>{profile.maskedPhone ?? '未绑定'}</Text>} />
              <Cell title='注册时间' extra={formatDate(profile.memberSince)} />
            </Cell.Group>
            <Text className='me-page__privacy'>为保护您的隐私，个人信息已做脱敏展示。</Text>
          </>
        )}
      </StateView>
    </View>
  );
}
