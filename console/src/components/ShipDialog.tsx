import { App, Descriptions, Form, Input, Modal, Select } from 'antd';
import { useState, type ReactNode } from 'react';
import { MALL_CARRIERS } from '@shared/contracts/mall';
import { errorText } from './PageState';

const TRACKING_NO = /^[A-Za-z0-9-]{6,40}$/;

export type ShippingAddress = { name: string; phone: string; region: string; detail: string };

/** Where a parcel goes: in full for those who ship it (the BFF masks it for everyone else). */
export const AddressText = ({ address: a }: { address: ShippingAddress }) => (
  <span>
    {a.name} {a.phone}
    <br />
    {a.region} {a.detail}
  </span>
);

/**
 * 发货, for a mall order or a drawn prize: what is shipped and the address to copy onto the parcel, then carrier
 * and tracking number. Centred, so it opens in view on any screen.
 */
export function ShipDialog({
  title,
  details,
  address,
  ship,
  onClose,
  onShipped,
}: {
  title: string;
  details: { label: string; value: ReactNode }[];
  address: ShippingAddress | null;
  ship: (body: { carrier: string; trackingNo: string }) => Promise<unknown>;
  onClose: () => void;
  onShipped: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ carrier: string; trackingNo: string }>();
  const [sending, setSending] = useState(false);
  return (
    <Modal open centered title={title} okText="确认发货" confirmLoading={sending} onCancel={onClose} onOk={() => form.submit()}>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        {details.map((d) => (
          <Descriptions.Item key={d.label} label={d.label}>
            {d.value}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label="收货信息">{address ? <AddressText address={address} /> : '—'}</Descriptions.Item>
      </Descriptions>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setSending(true);
          try {
            await ship(v);
            message.success('已发货');
            onShipped();
          } catch (err) {
            message.error(errorText(err));
          } finally {
            setSending(false);
          }
        }}
      >
        <Form.Item name="carrier" label="快递公司" rules={[{ required: true, message: '请选择快递公司' }]}>
          <Select placeholder="选择快递公司" options={MALL_CARRIERS.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
        <Form.Item
          name="trackingNo"
          label="运单号"
          normalize={(v: string) => v.trim()}
          rules={[
            { required: true, message: '请填写运单号' },
            { pattern: TRACKING_NO, message: '运单号为 6-40 位字母、数字或横线' },
          ]}
        >
          <Input placeholder="如 SF1234567890" maxLength={40} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
