import { Button } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { bindPhone, fakePhoneCode } from '../../api/profile';
import { toastError } from '../../utils/toast';
import './index.scss';

async function bind(code: string, onBound: () => void) {
  try {
    await bindPhone(code);
    Taro.showToast({ title: '手机号绑定成功', icon: 'none' });
    onBound();
  } catch (err) {
    toastError(err);
  }
}

/**
 * 绑定手机号: WeChat's getPhoneNumber button gives a one-time code the BFF exchanges for the
 * verified number. The H5 build (development) asks the fake WeChat server for one instead.
 */
export function BindPhoneButton({ onBound }: { onBound: () => void }) {
  if (process.env.TARO_ENV === 'h5') {
    return (
      <Button className="bind-phone-button" size="mini" data-testid="bind-phone" onClick={() => fakePhoneCode().then((code) => bind(code, onBound), toastError)}>
        绑定手机号
      </Button>
    );
  }
  return (
    <Button
      className="bind-phone-button"
      size="mini"
      openType="getPhoneNumber"
      onGetPhoneNumber={(e) => {
        const code = (e.detail as { code?: string }).code;
        if (code) void bind(code, onBound); // no code: the customer declined
      }}
    >
      绑定手机号
    </Button>
  );
}
