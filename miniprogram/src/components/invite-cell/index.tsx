import { Button, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Cell } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import type { MyInvite } from '@shared/contracts/invites';
import './index.scss';

/** 邀请好友: in WeChat a share button sends the invite card; in H5 the link is copied. */
export function InviteCell({ invite }: { invite: MyInvite }) {
  const copyLink = () => {
    const link = `${window.location.origin}${window.location.pathname}?inviter=${invite.code}`;
    Taro.setClipboardData({ data: link }).then(() => Taro.showToast({ title: '邀请链接已复制', icon: 'none' }));
  };
  return (
    <Cell
      title="邀请好友"
      description={`邀请码 ${invite.code}`}
      extra={
        <>
          <Text className="invite-cell__count" data-testid="invite-count">
            已邀请 {invite.invited} 人
          </Text>
          {process.env.TARO_ENV === 'h5' ? (
            <Button className="invite-cell__button" size="mini" onClick={copyLink}>
              复制链接
            </Button>
          ) : (
            <Button className="invite-cell__button" size="mini" openType="share">
              去邀请
            </Button>
          )}
        </>
      }
    />
  );
}
