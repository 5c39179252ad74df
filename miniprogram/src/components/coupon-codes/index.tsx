import { useMemo } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { barcodeSvg, qrSvg } from '../../utils/codes';
import './index.scss';

/** Groups of four, easier to read out to a shop assistant: LK12 3456 7890 AB. */
const spaced = (code: string) => code.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * A coupon code as a shop scans it: a Code128 barcode and a QR code, large and black on white,
 * with the code itself below them to read out or copy.
 */
export function CouponCodes({ code }: { code: string }) {
  const pictures = useMemo(() => ({ barcode: barcodeSvg(code), qr: qrSvg(code) }), [code]);
  const copy = () => void Taro.setClipboardData({ data: code }).then(() => Taro.showToast({ title: '券码已复制', icon: 'none' }));
  return (
    <View className="coupon-codes" data-testid="coupon-codes">
      {pictures.barcode && (
        <View className="coupon-codes__barcode" role="img" aria-label="券码条形码" data-testid="coupon-barcode">
          <Image className="coupon-codes__barcode-img" src={pictures.barcode} mode="scaleToFill" />
        </View>
      )}
      <View className="coupon-codes__qr" role="img" aria-label="券码二维码" data-testid="coupon-qr">
        <Image className="coupon-codes__qr-img" src={pictures.qr} mode="aspectFit" />
      </View>
      <Text className="coupon-codes__text" data-testid="coupon-code-text" userSelect>
        {spaced(code)}
      </Text>
      <View className="coupon-codes__copy" data-testid="coupon-code-copy" onClick={copy}>
        复制券码
      </View>
    </View>
  );
}
