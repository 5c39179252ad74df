import { Button as NativeButton } from '@tarojs/components';
import { SERVICE_HOTLINE_LABEL } from '@shared/service-hotline';

/** WeChat's own 客服 conversation in the mini-program; in a browser, the bank's hotline, as a link the phone dials. */
export function ContactService({ className, testid }: { className: string; testid: string }) {
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <NativeButton className={className} openType="contact" data-testid={testid}>
        联系客服
      </NativeButton>
    );
  }
  return (
    <a className={className} href={`tel:${SERVICE_HOTLINE}`} data-testid={testid}>
      联系客服 · {SERVICE_HOTLINE_LABEL} {SERVICE_HOTLINE}
    </a>
  );
}
