import { Button, Card, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Api, ResponseOf } from '@shared/api';
import { prizeKindNamesZh } from '@shared/contracts/draws';
import { call } from '@/api/client';
import { useSession } from '@/auth/session';
import { CodeFileUpload } from '@/components/CodeFileUpload';
import { PageState } from '@/components/PageState';
import { AddressText, ShipDialog } from '@/components/ShipDialog';
import { beijingTime } from '@/format';
import { useLoad } from '@/hooks/useLoad';

type Prize = ResponseOf<Api['getDrawStats']>['prizes'][number];
type Winner = ResponseOf<Api['listDrawWinners']>['items'][number];

/** Where a won prize that ships stands, in the words of the people who ship it. */
function shippingState(w: Winner) {
  if (w.kind === 'mall_item') return <Tag>由商城订单发货</Tag>;
  if (w.shipped)
    return (
      <Tag color="blue">
        已发货 {w.carrier} {w.trackingNo}
      </Tag>
    );
  return w.claimed ? <Tag color="warning">待发货</Tag> : <Tag>待客户填写地址</Tag>;
}

/** A live draw's prizes as they are being won, coupon prizes' codes uploaded, and won physical prizes shipped. */
export function DrawOperations({ id }: { id: string }) {
  const { can } = useSession();
  const stats = useLoad(() => call('getDrawStats', { params: { id } }), [id]);
  const [more, setMore] = useState(0);
  const winners = useLoad(async () => {
    // Every page read so far, from the first: one page more each time 加载更多 is pressed.
    const items: Winner[] = [];
    let after: string | undefined;
    let next: string | null = null;
    for (let i = 0; i <= more; i += 1) {
      const page = await call('listDrawWinners', { params: { id }, query: { after, limit: 100 } });
      items.push(...page.items);
      next = page.next;
      if (!next) break;
      after = next;
    }
    return { items, next };
  }, [id, more]);
  const [uploading, setUploading] = useState<Prize | null>(null);
  const [shipping, setShipping] = useState<Winner | null>(null);
  const ships = (w: Winner) => w.kind === 'physical';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="奖品">
        <PageState loading={stats.loading} error={stats.error} onRetry={stats.reload}>
          <Table<Prize>
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={stats.data?.prizes ?? []}
            columns={[
              { title: '奖品', dataIndex: 'name' },
              { title: '类型', dataIndex: 'kind', render: (k: Prize['kind']) => prizeKindNamesZh[k] },
              { title: '公示概率', dataIndex: 'expectedPercent', align: 'right', render: (p: number) => `${p}%` },
              { title: '数量', dataIndex: 'quantity', align: 'right', render: (q: number | null) => (q === null ? '不限' : q) },
              { title: '已中', dataIndex: 'won', align: 'right' },
              { title: '剩余可中', dataIndex: 'left', align: 'right', render: (l: number | null) => (l === null ? '不限' : l) },
              {
                title: '券码（可用 / 总数）',
                render: (_, p) =>
                  p.codes ? (
                    <Space>
                      <Typography.Text type={p.codes.poolSize - p.codes.assigned < (p.quantity ?? 0) - p.won ? 'danger' : undefined}>
                        {p.codes.poolSize - p.codes.assigned} / {p.codes.poolSize}
                      </Typography.Text>
                      {can('content.edit') && (
                        <Button size="small" onClick={() => setUploading(p)}>
                          上传券码
                        </Button>
                      )}
                    </Space>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        </PageState>
      </Card>
      <Card size="small" title="中奖与发货">
        <PageState loading={winners.loading && !winners.data} error={winners.error} onRetry={winners.reload}>
          <Table<Winner>
            size="small"
            rowKey="drawId"
            pagination={false}
            dataSource={winners.data?.items ?? []}
            locale={{ emptyText: '还没有人中奖' }}
            columns={[
              { title: '中奖时间', dataIndex: 'at', render: beijingTime },
              { title: '奖品', render: (_, w) => `${w.prizeName}${w.guaranteed ? '（保底）' : ''}` },
              { title: '客户手机号', dataIndex: 'phone', render: (p: string | null) => p ?? '未绑定' },
              { title: '收货信息', render: (_, w) => (w.address ? <AddressText address={w.address} /> : '—') },
              { title: '发货', render: (_, w) => (ships(w) || w.kind === 'mall_item' ? shippingState(w) : '无需发货') },
              {
                title: '操作',
                render: (_, w) =>
                  can('content.edit') && ships(w) && w.claimed && !w.shipped ? (
                    <Button size="small" type="primary" onClick={() => setShipping(w)}>
                      发货
                    </Button>
                  ) : null,
              },
            ]}
          />
          {winners.data?.next && (
            <Button style={{ marginTop: 8 }} loading={winners.loading} onClick={() => setMore((n) => n + 1)}>
              加载更多
            </Button>
          )}
        </PageState>
      </Card>
      {uploading && (
        <Modal open centered width={720} title={`上传券码：${uploading.name}`} footer={null} onCancel={() => setUploading(null)}>
          <CodeFileUpload
            needed={Math.max(0, (uploading.quantity ?? 0) - uploading.won)}
            available={uploading.codes!.poolSize - uploading.codes!.assigned}
            neededLabel="剩余奖品数量"
            upload={async (codes) => {
              const r = await call('uploadDrawPrizeCodes', { params: { id, prizeCode: uploading.code }, body: { codes } });
              stats.reload();
              setUploading(null);
              return r;
            }}
          />
        </Modal>
      )}
      {shipping && (
        <ShipDialog
          title={`发货：${shipping.prizeName}`}
          details={[
            { label: '奖品', value: shipping.prizeName },
            { label: '中奖时间', value: beijingTime(shipping.at) },
          ]}
          address={shipping.address}
          ship={(body) => call('shipDrawPrize', { params: { drawId: shipping.drawId }, body })}
          onClose={() => setShipping(null)}
          onShipped={() => {
            setShipping(null);
            winners.reload();
          }}
        />
      )}
    </Space>
  );
}
