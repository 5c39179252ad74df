import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { Address } from '@shared/contracts/mall';
import { addMyAddress, deleteMyAddress, getMyAddresses } from '@/api/mall';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { AddressForm, checkAddress, EMPTY_ADDRESS, errorsFromApi, type FieldErrors } from '@/components/address-form';
import { toastError } from '@/utils/toast';
import { addressDetour } from '@/utils/address-detour';
import { BRAND } from '@/utils/theme';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

/** 地址管理: saved addresses (masked), add one, delete one after a confirmation. */
export default function AddressesPage() {
  const { data, error, loading, reload } = useApi(getMyAddresses);
  // `?add=1`: opened to add one (a prize claim's detour), so the form is open at once.
  const [adding, setAdding] = useState(useRouter().params.add === '1');
  const [draft, setDraft] = useState<Address>(EMPTY_ADDRESS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function save() {
    const problems = checkAddress(draft);
    setErrors(problems);
    if (Object.keys(problems).length || busy) return;
    setBusy(true);
    try {
      const saved = await addMyAddress(draft);
      setAdding(false);
      setDraft(EMPTY_ADDRESS);
      Taro.showToast({ title: '地址已保存', icon: 'none' });
      // Opened to claim a prize: back to it, where the claim goes on with this address.
      if (addressDetour.saved(saved.id)) void Taro.navigateBack();
      else reload();
    } catch (err) {
      const fromApi = errorsFromApi(err);
      if (fromApi) setErrors(fromApi);
      else toastError(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string) {
    const { confirm } = await Taro.showModal({ title: '删除地址', content: '删除后不可恢复，已下单的订单不受影响。', confirmText: '删除', confirmColor: BRAND });
    if (!confirm) return;
    try {
      await deleteMyAddress(id);
      reload();
    } catch (err) {
      toastError(err);
    }
  }

  const items = data?.items ?? [];
  return (
    <View className="addresses-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload} consentText="同意隐私政策后可管理收货地址">
        {items.map((a) => (
          <View key={a.id} className="addresses-page__card" data-testid="address-card">
            <View className="addresses-page__info">
              <Text className="addresses-page__who">
                {a.name} {a.phone}
              </Text>
              <Text className="addresses-page__where">
                {a.region} {a.detail}
              </Text>
            </View>
            <Text className="addresses-page__delete" data-testid="address-delete" onClick={() => void remove(a.id)}>
              删除
            </Text>
          </View>
        ))}
        {items.length === 0 && !adding && <Text className="addresses-page__empty">还没有收货地址，兑换实物礼品时需要</Text>}
        {adding ? (
          <View className="addresses-page__card addresses-page__form">
            <AddressForm
              value={draft}
              errors={errors}
              onChange={(next, changed) => (setDraft(next), setErrors({ ...errors, [changed]: undefined }))}
              onCancel={() => (setAdding(false), setErrors({}))}
            />
            <Button type="primary" block loading={busy} disabled={busy} data-testid="address-save" onClick={save}>
              保存地址
            </Button>
          </View>
        ) : (
          <Button type="primary" block className="addresses-page__add" data-testid="address-add" onClick={() => setAdding(true)}>
            新增收货地址
          </Button>
        )}
      </StateView>
    </View>
  );
}
