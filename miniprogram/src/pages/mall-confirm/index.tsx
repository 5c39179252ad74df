import { useRef, useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { Address } from '../../../../shared/contracts/mall';
import { addMyAddress, getMallItem, getMyAddresses, newIdempotencyKey, redeemItem } from '../../api/mall';
import { getMyPoints } from '../../api/points';
import { useApi } from '../../hooks/useApi';
import { StateView } from '../../components/state-view';
import { formatPrice } from '../../utils/format';
import { toastError } from '../../utils/toast';
import './index.scss';

const EMPTY_ADDRESS: Address = { name: '', phone: '', region: '', detail: '' };
const MOBILE = /^1[3-9]\d{9}$/;

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
  const [account, setAccount] = useState('');
  const [busy, setBusy] = useState(false);
  // One key for this confirmation: pressing again after a network error retries the same redemption.
  const key = useRef(newIdempotencyKey());

  const chosen = addressId ?? data?.addresses[0]?.id ?? null;
  const showForm = adding || (data?.item.needs === 'address' && data.addresses.length === 0);

  async function saveAddress() {
    if (!draft.name.trim() || !MOBILE.test(draft.phone) || draft.region.trim().length < 2 || draft.detail.trim().length < 4) {
      Taro.showToast({ title: '请完整填写收货人、手机号、所在地区和详细地址', icon: 'none' });
      return;
    }
    try {
      const saved = await addMyAddress(draft);
      setAddressId(saved.id);
      setAdding(false);
      setDraft(EMPTY_ADDRESS);
      reload();
    } catch (err) {
      toastError(err);
    }
  }

  async function useWechatAddress() {
    try {
      const a = await Taro.chooseAddress();
      setDraft({ name: a.userName, phone: a.telNumber, region: `${a.provinceName} ${a.cityName} ${a.countyName}`, detail: a.detailInfo });
    } catch {
      // closed by the customer, or not available (H5): the form stays as it is
    }
  }

  async function submit() {
    if (!data) return;
    const { item } = data;
    if (item.needs === 'address' && !chosen) return Taro.showToast({ title: '请先添加收货地址', icon: 'none' });
    if (item.needs === 'account' && !MOBILE.test(account)) return Taro.showToast({ title: '请输入正确的充值手机号', icon: 'none' });
    setBusy(true);
    try {
      const order = await redeemItem(key.current, {
        itemId: item.id,
        ...(item.needs === 'address' ? { addressId: chosen! } : {}),
        ...(item.needs === 'account' ? { account } : {}),
      });
      Taro.redirectTo({ url: `/pages/mall-result/index?id=${order.id}` });
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof Address, placeholder: string, type: 'text' | 'number' = 'text') => (
    <Input
      className='mall-confirm-page__input'
      type={type}
      placeholder={placeholder}
      value={draft[name]}
      data-testid={`address-${name}`}
      onInput={(e) => setDraft({ ...draft, [name]: e.detail.value })}
    />
  );

  return (
    <View className='mall-confirm-page'>
      <StateView loading={loading} error={error} onRetry={reload}>
        {data && (
          <>
            <View className='mall-confirm-page__card'>
              <Text className='mall-confirm-page__title'>{data.item.title}</Text>
              <Text className='mall-confirm-page__price'>{formatPrice(data.item.pricePoints, data.item.cashYuan)}</Text>
              <Text className='mall-confirm-page__meta' data-testid='confirm-balance'>
                当前积分 {data.balance}，兑换后剩余 {data.balance - data.item.pricePoints}
              </Text>
            </View>

            {data.item.needs === 'address' && (
              <View className='mall-confirm-page__card'>
                <Text className='mall-confirm-page__section'>收货地址</Text>
                {data.addresses.map((a) => (
                  <View
                    key={a.id}
                    className={`mall-confirm-page__address ${chosen === a.id ? 'mall-confirm-page__address--on' : ''}`}
                    data-testid='address-option'
                    onClick={() => setAddressId(a.id)}
                  >
                    <Text className='mall-confirm-page__address-who'>
                      {a.name} {a.phone}
                    </Text>
                    <Text className='mall-confirm-page__address-where'>
                      {a.region} {a.detail}
                    </Text>
                  </View>
                ))}
                {showForm ? (
                  <View className='mall-confirm-page__form'>
                    {field('name', '收货人姓名')}
                    {field('phone', '手机号', 'number')}
                    {field('region', '所在地区，如：上海市 浦东新区')}
                    {field('detail', '详细地址，如：世纪大道 100 号')}
                    <View className='mall-confirm-page__form-actions'>
                      {process.env.TARO_ENV === 'weapp' && (
                        <Button size='small' onClick={useWechatAddress}>
                          使用微信收货地址
                        </Button>
                      )}
                      <Button size='small' type='primary' data-testid='address-save' onClick={saveAddress}>
                        保存地址
                      </Button>
                    </View>
                  </View>
                ) : (
                  <Text className='mall-confirm-page__add' onClick={() => setAdding(true)}>
                    + 新增收货地址
                  </Text>
                )}
              </View>
            )}

            {data.item.needs === 'account' && (
              <View className='mall-confirm-page__card'>
                <Text className='mall-confirm-page__section'>充值手机号</Text>
                <Input className='mall-confirm-page__input' type='number' maxlength={11} placeholder='请输入 11 位手机号' value={account} data-testid='account-input' onInput={(e) => setAccount(e.detail.value)} />
              </View>
            )}

            <View className='mall-confirm-page__bar'>
              <Button type='primary' block loading={busy} disabled={busy} data-testid='confirm-redeem' onClick={submit}>
                确认兑换
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
