import { useRef, useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { Address } from '@shared/contracts/mall';
import { ADDRESS_RULES } from '@shared/address-rules';
import { AddressForm, checkAddress, EMPTY_ADDRESS, errorsFromApi, type FieldErrors } from '@/components/address-form';
import { addMyAddress, getMallItem, getMyAddresses, redeemItem } from '@/api/mall';
import { newIdempotencyKey } from '@/api/idempotency';
import { getMyPoints } from '@/api/points';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { blockedLabels, formatPrice } from '@/utils/format';
import { toastError } from '@/utils/toast';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

const MOBILE = ADDRESS_RULES.phone.pattern;

async function load(id: string) {
  const [item, points] = await Promise.all([getMallItem(id), getMyPoints()]);
  const addresses = item.needs === 'address' ? (await getMyAddresses()).items : [];
  return { item, balance: points.balance, addresses };
}

export default function MallConfirmPage() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useApi(() => load(id));
  const [addressId, setAddressId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState<Address>(EMPTY_ADDRESS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [account, setAccount] = useState('');
  const [busy, setBusy] = useState(false);
  // One key for this confirmation: pressing again after a network error retries the same redemption.
  const key = useRef(newIdempotencyKey());

  const chosen = addressId ?? data?.addresses[0]?.id ?? null;
  const after = data ? data.balance - data.item.pricePoints : 0;
  // Said on the button, before the tap: why this cannot be redeemed now.
  const blocked = data?.item.blockedBy ? blockedLabels[data.item.blockedBy] : after < 0 ? blockedLabels.points_insufficient : null;
  const showForm = adding || (data?.item.needs === 'address' && data.addresses.length === 0);

  /** Saves the address being typed, showing each field's problem; its id, or null when it cannot be saved. */
  async function saveDraft(): Promise<string | null> {
    const problems = checkAddress(draft);
    setErrors(problems);
    if (Object.keys(problems).length) return null;
    try {
      const saved = await addMyAddress(draft);
      setAddressId(saved.id);
      setAdding(false);
      setDraft(EMPTY_ADDRESS);
      return saved.id;
    } catch (err) {
      const fromApi = errorsFromApi(err);
      if (fromApi) setErrors(fromApi);
      else toastError(err);
      return null;
    }
  }

  async function submit() {
    if (!data || busy) return;
    const { item } = data;
    if (item.needs === 'account' && !MOBILE.test(account)) return Taro.showToast({ title: '请输入正确的充值手机号', icon: 'none' });
    setBusy(true);
    try {
      // An address typed but not yet saved is saved as part of confirming: no hidden step first.
      const address = item.needs === 'address' ? (showForm ? await saveDraft() : chosen) : null;
      if (item.needs === 'address' && !address) return;
      const order = await redeemItem(key.current, {
        itemId: item.id,
        ...(address ? { addressId: address } : {}),
        ...(item.needs === 'account' ? { account } : {}),
      });
      Taro.redirectTo({ url: `/packages/mall/result/index?id=${order.id}` });
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="mall-confirm-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload} consentText="同意隐私政策后可兑换商品">
        {data && (
          <>
            <View className="mall-confirm-page__card">
              <Text className="mall-confirm-page__title">{data.item.title}</Text>
              <Text className="mall-confirm-page__price">{formatPrice(data.item.pricePoints, data.item.cashYuan)}</Text>
              <Text className="mall-confirm-page__meta" data-testid="confirm-balance">
                {after >= 0 ? `当前积分 ${data.balance}，兑换后剩余 ${after}` : `当前积分 ${data.balance}，还差 ${-after} 积分`}
              </Text>
              {data.item.cashYuan ? <Text className="mall-confirm-page__notice">该商品需另付现金 ¥{data.item.cashYuan.toFixed(2)}，小程序暂未开通支付，暂不可兑换。</Text> : null}
            </View>

            {data.item.needs === 'address' && (
              <View className="mall-confirm-page__card">
                <Text className="mall-confirm-page__section">收货地址</Text>
                {data.addresses.map((a) => (
                  <View
                    key={a.id}
                    className={`mall-confirm-page__address ${chosen === a.id ? 'mall-confirm-page__address--on' : ''}`}
                    data-testid="address-option"
                    onClick={() => setAddressId(a.id)}
                  >
                    <Text className="mall-confirm-page__address-who">
                      {a.name} {a.phone}
                    </Text>
                    <Text className="mall-confirm-page__address-where">
                      {a.region} {a.detail}
                    </Text>
                  </View>
                ))}
                {showForm ? (
                  <AddressForm
                    value={draft}
                    errors={errors}
                    onChange={(next, changed) => {
                      setDraft(next);
                      setErrors({ ...errors, [changed]: undefined });
                    }}
                    onCancel={data.addresses.length ? () => (setAdding(false), setErrors({})) : undefined}
                  />
                ) : (
                  <Text className="mall-confirm-page__add" data-testid="address-add" onClick={() => setAdding(true)}>
                    + 新增收货地址
                  </Text>
                )}
              </View>
            )}

            {data.item.needs === 'account' && (
              <View className="mall-confirm-page__card">
                <Text className="mall-confirm-page__section">充值手机号</Text>
                <Input
                  className="mall-confirm-page__input"
                  type="number"
                  maxlength={11}
                  placeholder="请输入 11 位手机号"
                  value={account}
                  data-testid="account-input"
                  onInput={(e) => setAccount(e.detail.value)}
                />
              </View>
            )}

            <View className="mall-confirm-page__bar">
              <Button type="primary" block className="mall-confirm-page__redeem" loading={busy} disabled={busy || blocked !== null} data-testid="confirm-redeem" onClick={submit}>
                {blocked ?? (busy ? '兑换中…' : `确认兑换，使用 ${data.item.pricePoints} 积分`)}
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
