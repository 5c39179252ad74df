import { useMemo, useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Cascader } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cascader/style/css';
// Not a React hook despite its name: it builds the province/city/district tree once.
import { useCascaderAreaData as buildRegionTree } from '@vant/area-data';
import type { Address } from '@shared/contracts/mall';
import { addressProblem, ADDRESS_RULES, type AddressField } from '@shared/address-rules';
import { ApiError } from '../../api/client';
import './index.scss';

export const EMPTY_ADDRESS: Address = { name: '', phone: '', region: '', detail: '' };
const FIELDS: AddressField[] = ['name', 'phone', 'region', 'detail'];

export type FieldErrors = Partial<Record<AddressField, string>>;

/** Every field's problem by the rules the BFF applies; empty when the address can be sent. */
export function checkAddress(address: Address): FieldErrors {
  return Object.fromEntries(FIELDS.map((f) => [f, addressProblem(f, address[f])]).filter(([, p]) => p !== null));
}

/** The BFF's field problems (`body.phone` …) beside the fields they concern. */
export function errorsFromApi(err: unknown): FieldErrors | null {
  if (!(err instanceof ApiError) || err.issues.length === 0) return null;
  const errors: FieldErrors = {};
  for (const issue of err.issues) {
    const field = issue.path.replace(/^body\./, '') as AddressField;
    if (FIELDS.includes(field)) errors[field] = issue.message;
  }
  return Object.keys(errors).length ? errors : null;
}

type AddressFormProps = {
  value: Address;
  errors: FieldErrors;
  onChange: (value: Address, changed: AddressField) => void;
  /** Shown when the customer has somewhere to go back to (a saved address). */
  onCancel?: () => void;
};

/** 收货地址: labelled fields, a province/city/district picker, and each field's problem under it. */
export function AddressForm({ value, errors, onChange, onCancel }: AddressFormProps) {
  const regions = useMemo(() => buildRegionTree(), []);
  const [picking, setPicking] = useState(false);
  const set = (field: AddressField, v: string) => onChange({ ...value, [field]: v }, field);

  async function useWechatAddress() {
    try {
      const a = await Taro.chooseAddress();
      onChange({ name: a.userName, phone: a.telNumber, region: `${a.provinceName} ${a.cityName} ${a.countyName}`, detail: a.detailInfo }, 'detail');
    } catch {
      // closed by the customer, or refused: the form stays as it is
    }
  }

  const row = (field: AddressField, label: string, control: JSX.Element) => (
    <View className={`address-form__row ${errors[field] ? 'address-form__row--error' : ''}`}>
      <Text className="address-form__label">{label}</Text>
      {control}
      {errors[field] && (
        <Text className="address-form__error" data-testid={`address-error-${field}`}>
          {errors[field]}
        </Text>
      )}
    </View>
  );

  return (
    <View className="address-form" data-testid="address-form">
      {row(
        'name',
        '收货人',
        <Input
          className="address-form__input"
          placeholder="收货人姓名"
          maxlength={ADDRESS_RULES.name.max}
          value={value.name}
          data-testid="address-name"
          onInput={(e) => set('name', e.detail.value)}
        />,
      )}
      {row(
        'phone',
        '手机号',
        <Input
          className="address-form__input"
          type="number"
          placeholder="11 位手机号"
          maxlength={11}
          value={value.phone}
          data-testid="address-phone"
          onInput={(e) => set('phone', e.detail.value)}
        />,
      )}
      {row(
        'region',
        '所在地区',
        <Text
          className={`address-form__input address-form__picker ${value.region ? '' : 'address-form__picker--empty'}`}
          data-testid="address-region"
          onClick={() => setPicking(true)}
        >
          {value.region || '请选择省、市、区'}
        </Text>,
      )}
      {row(
        'detail',
        '详细地址',
        <Input
          className="address-form__input"
          placeholder="街道、楼栋、门牌号"
          maxlength={ADDRESS_RULES.detail.max}
          value={value.detail}
          data-testid="address-detail"
          onInput={(e) => set('detail', e.detail.value)}
        />,
      )}
      <View className="address-form__actions">
        {process.env.TARO_ENV === 'weapp' && (
          <Button size="small" onClick={useWechatAddress}>
            使用微信收货地址
          </Button>
        )}
        {onCancel && (
          <Button size="small" data-testid="address-cancel" onClick={onCancel}>
            取消
          </Button>
        )}
      </View>
      <Cascader
        visible={picking}
        title="选择所在地区"
        options={regions}
        closeable
        onClose={() => setPicking(false)}
        onChange={(_, path) => {
          set('region', (path as { text?: string }[]).map((p) => p.text).join(' '));
          setPicking(false);
        }}
      />
    </View>
  );
}
