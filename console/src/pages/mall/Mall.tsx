import { App, Button, Card, DatePicker, Input, InputNumber, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Api, ResponseOf } from '@shared/api';
import { wireRequest } from '@shared/api/client';
import { ORDER_STATUSES, OrderNumber, orderStatusNamesZh, type MallOrderFilter, type OrderStatus } from '@shared/contracts/mall';
import { call } from '@/api/client';
import { download } from '@/api/download';
import { beijingTime } from '@/format';
import { useSession } from '@/auth/session';
import { CodeFileUpload } from '@/components/CodeFileUpload';
import { AddressText, ShipDialog } from '@/components/ShipDialog';
import { REFERENCES, ReferenceSelect } from '@/forms/ReferenceSelect';
import { errorText, PageState } from '@/components/PageState';
import { confirmWithReason } from '@/components/ReasonPrompt';
import { useLoad } from '@/hooks/useLoad';

type Order = ResponseOf<Api['listMallOrders']>['items'][number];
// The filter names a failed order briefly; the customer's own wording also says the points came back.
const STATUS_NAMES: Record<OrderStatus, string> = { ...orderStatusNamesZh, failed: '失败' };
const STATUS_COLORS: Record<OrderStatus, string> = {
  processing: 'processing',
  completed: 'success',
  awaiting_shipment: 'warning',
  shipped: 'blue',
  cancelled: 'default',
  failed: 'error',
};
function Orders() {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<MallOrderFilter>({ status: 'awaiting_shipment' });
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [shipping, setShipping] = useState<Order | null>(null);
  const orders = useLoad(() => call('listMallOrders', { query: { ...filter, ...page } }), [filter, page]);
  const refine = (next: Partial<typeof filter>) => {
    setFilter((f) => ({ ...f, ...next }));
    setPage((p) => ({ ...p, page: 1 }));
  };
  const statusName = filter.status ? STATUS_NAMES[filter.status] : '';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder="订单编号、商品名称或编码"
          aria-label="搜索订单"
          style={{ width: 280 }}
          onSearch={(v) => {
            const q = v.trim() || undefined;
            // An 订单编号 names one order, whatever its status: look in all of them.
            refine(OrderNumber.safeParse(q).success ? { q, status: undefined } : { q });
          }}
        />
        <Select<OrderStatus | undefined>
          aria-label="订单状态"
          value={filter.status}
          placeholder="全部状态"
          allowClear
          onChange={(status) => refine({ status })}
          style={{ width: 140 }}
          options={ORDER_STATUSES.map((s) => ({ value: s, label: STATUS_NAMES[s] }))}
        />
        <DatePicker.RangePicker
          aria-label="下单日期"
          placeholder={['下单开始日期', '下单结束日期']}
          onChange={(days) => refine({ from: days?.[0]?.format('YYYY-MM-DD'), to: days?.[1]?.format('YYYY-MM-DD') })}
        />
        <Button onClick={() => download(wireRequest('exportMallOrders', { query: filter }), 'mall-orders.csv').catch((e) => message.error(errorText(e)))}>导出 CSV</Button>
      </Space>
      <PageState loading={orders.loading} error={orders.error} onRetry={orders.reload}>
        <Table<Order>
          rowKey="id"
          size="small"
          scroll={{ x: 'max-content' }}
          dataSource={orders.data?.items ?? []}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: orders.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (t) => `共 ${t} 单`,
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          locale={{ emptyText: filter.q || filter.from ? '没有符合条件的订单' : `没有${statusName}订单` }}
          columns={[
            { title: '订单编号', dataIndex: 'orderNo' },
            { title: '下单时间', dataIndex: 'createdAt', render: beijingTime },
            {
              title: '商品',
              render: (_, o) => (
                <span>
                  {o.title}
                  <Typography.Text type="secondary" style={{ display: 'block' }}>
                    {o.itemCode}
                  </Typography.Text>
                </span>
              ),
            },
            { title: '积分', dataIndex: 'pricePoints', align: 'right', render: (p: number) => `${p.toLocaleString('zh-CN')} 积分` },
            { title: '客户编号', dataIndex: 'customerId' },
            { title: '收货信息', render: (_, o) => (o.address ? <AddressText address={o.address} /> : '—') },
            { title: '状态', dataIndex: 'status', render: (s: OrderStatus) => <Tag color={STATUS_COLORS[s]}>{STATUS_NAMES[s]}</Tag> },
            {
              title: '物流',
              render: (_, o) =>
                o.shipping?.carrier ? (
                  <span>
                    {o.shipping.carrier} {o.shipping.trackingNo}
                    {o.shippedAt && (
                      <Typography.Text type="secondary" style={{ display: 'block' }}>
                        发货 {beijingTime(o.shippedAt)}
                      </Typography.Text>
                    )}
                  </span>
                ) : (
                  '—'
                ),
            },
            ...(can('mall.edit')
              ? [
                  {
                    title: '操作',
                    fixed: 'right' as const,
                    render: (_: unknown, o: Order) =>
                      o.status === 'awaiting_shipment' && (
                        <Space>
                          <Button size="small" type="primary" onClick={() => setShipping(o)}>
                            发货
                          </Button>
                          {o.cancellable && (
                            <Button
                              size="small"
                              danger
                              onClick={() =>
                                confirmWithReason(modal, {
                                  title: '取消订单并退还积分？',
                                  okText: '确认取消',
                                  danger: true,
                                  placeholder: '取消原因（客户可见）',
                                  run: async (reason) => {
                                    try {
                                      await call('cancelMallOrder', { params: { id: o.id }, body: { reason } });
                                      message.success('已取消，积分已退还');
                                      orders.reload();
                                    } catch (err) {
                                      message.error(errorText(err));
                                    }
                                  },
                                })
                              }
                            >
                              取消
                            </Button>
                          )}
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </PageState>
      {shipping && (
        <ShipDialog
          title={`发货：${shipping.title}`}
          details={[
            { label: '订单编号', value: shipping.orderNo },
            { label: '下单时间', value: beijingTime(shipping.createdAt) },
          ]}
          address={shipping.address}
          ship={(body) => call('shipMallOrder', { params: { id: shipping.id }, body })}
          onClose={() => setShipping(null)}
          onShipped={() => {
            setShipping(null);
            orders.reload();
          }}
        />
      )}
    </Space>
  );
}

function StockPanel() {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [itemId, setItemId] = useState<string>();
  const stock = useLoad(
    async () => (itemId ? Promise.all([call('getMallItemStock', { params: { id: itemId } }), call('getCatalogueEntry', { params: { id: itemId } })]) : null),
    [itemId],
  );
  const [delta, setDelta] = useState<number | null>(null);
  const levels = stock.data?.[0];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <div style={{ width: 480 }}>
        <ReferenceSelect reference={REFERENCES.itemIds} multiple={false} value={itemId} onChange={(v) => setItemId(v as string | undefined)} />
      </div>
      {itemId && (
        <PageState loading={stock.loading} error={stock.error} onRetry={stock.reload}>
          {levels && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space size="large">
                <Statistic title="可售库存" value={levels.stock} />
                <Statistic title="已售" value={levels.sold} />
                <Statistic title="初始" value={levels.initial} />
                <Statistic title="累计调整" value={levels.adjusted} />
                <Statistic title="券码池（已发 / 总数）" value={`${levels.codes.assigned} / ${levels.codes.poolSize}`} />
              </Space>
              {can('mall.edit') && (
                <Card size="small" title="库存调整（须审核员审批后生效）">
                  <Space>
                    <InputNumber placeholder="调整数量，如 100 或 -20" value={delta} onChange={setDelta} precision={0} style={{ width: 220 }} />
                    <Button
                      disabled={!delta}
                      onClick={() =>
                        confirmWithReason(modal, {
                          title: `申请库存调整 ${delta! > 0 ? '+' : ''}${delta}（可售库存 ${levels.stock} → ${levels.stock + delta!}）？`,
                          okText: '提交申请',
                          placeholder: '调整原因（必填）',
                          run: async (reason) => {
                            try {
                              await call('requestStockAdjustment', { params: { id: itemId }, body: { delta: delta!, reason } });
                              message.success('已提交，待审核员审批');
                              setDelta(null);
                            } catch (err) {
                              message.error(errorText(err));
                            }
                          },
                        })
                      }
                    >
                      提交申请
                    </Button>
                  </Space>
                </Card>
              )}
              {can('mall.edit') && stock.data?.[1].type === 'coupon' && (
                <Card size="small" title="上传券码">
                  <CodeFileUpload
                    needed={levels.stock}
                    available={levels.codes.poolSize - levels.codes.assigned}
                    neededLabel="可售库存"
                    upload={async (codes) => {
                      const r = await call('uploadCouponCodes', { params: { id: itemId }, body: { codes } });
                      stock.reload();
                      return r;
                    }}
                  />
                </Card>
              )}
            </Space>
          )}
        </PageState>
      )}
    </Space>
  );
}

function Recovery() {
  const { can } = useSession();
  const { message } = App.useApp();
  const [result, setResult] = useState<Record<string, number> | null>(null);
  return (
    <Space direction="vertical">
      <Typography.Paragraph>兑换须经合作方确认。合作方超时或失败的订单由后台定时补偿；如需立即处理，可手动运行一次补偿。</Typography.Paragraph>
      {can('mall.edit') && (
        <Button
          onClick={async () => {
            try {
              setResult(await call('recoverMallOrders'));
            } catch (err) {
              message.error(errorText(err));
            }
          }}
        >
          立即运行补偿
        </Button>
      )}
      {result && (
        <Space>
          {Object.entries({ completed: '完成', failed: '失败并退款', stillPending: '仍在处理', abandoned: '放弃' }).map(([k, label]) => (
            <Tag key={k}>
              {label} {result[k]}
            </Tag>
          ))}
        </Space>
      )}
    </Space>
  );
}

export default function Mall() {
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        商城运营
      </Typography.Title>
      <Tabs
        items={[
          { key: 'orders', label: '订单', children: <Orders /> },
          { key: 'stock', label: '库存与券码', children: <StockPanel /> },
          { key: 'recovery', label: '补偿处理', children: <Recovery /> },
        ]}
      />
    </Space>
  );
}
