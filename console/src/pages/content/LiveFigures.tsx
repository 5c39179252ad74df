import { Alert, App, Button, Card, Descriptions, Space } from 'antd';
import type { ReactNode } from 'react';
import { call } from '@/api/client';
import { useSession } from '@/auth/session';
import { errorText, PageState } from '@/components/PageState';
import { useLoad } from '@/hooks/useLoad';
import type { RmTaskType } from '@shared/contracts/marketing-tasks';
import { TaskExecution } from '../steering/TaskExecution';

type Figure = { label: string; value: ReactNode; hint?: string };

function FigureCard({ title, figures, violations, extra }: { title: string; figures: Figure[]; violations?: string[]; extra?: ReactNode }) {
  return (
    <Card size="small" title={title} extra={extra} data-testid="live-figures">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Descriptions size="small" bordered column={4}>
          {figures.map((f) => (
            <Descriptions.Item key={f.label} label={f.label}>
              <span title={f.hint}>{f.value}</span>
            </Descriptions.Item>
          ))}
        </Descriptions>
        {violations && violations.length > 0 && (
          <Alert
            type="error"
            showIcon
            message={`发现 ${violations.length} 处异常，请联系技术支持`}
            description={violations.slice(0, 10).map((v) => (
              <div key={v}>{v}</div>
            ))}
          />
        )}
      </Space>
    </Card>
  );
}

const people = (n: number) => `${n.toLocaleString('zh-CN')} 人`;

/** 事件营销规则效果: who it fired for, and why some were not acted on. */
function TriggerFigures({ id }: { id: string }) {
  const stats = useLoad(() => call('getTriggerStats', { params: { id } }), [id]);
  return (
    <PageState loading={stats.loading} error={stats.error} onRetry={stats.reload}>
      {stats.data && (
        <FigureCard
          title="规则效果"
          figures={[
            { label: '已触发客户', value: people(stats.data.fired), hint: '每位客户只计一次，含未执行的' },
            { label: '因每日上限未触达', value: people(stats.data.capped) },
            { label: '触发后未执行', value: people(stats.data.withheld), hint: '执行前客户关闭个性化推荐、不感兴趣或撤回同意，或规则已下线、已过时间窗' },
            { label: '预算用尽未发放', value: people(stats.data.budgetExhausted) },
          ]}
        />
      )}
    </PageState>
  );
}

/** Whether the show is on air by its published times: only then can it end early. */
const onAir = (live: { startAt?: string; endAt?: string } | null) =>
  !!live?.startAt && !!live.endAt && Date.parse(live.startAt) <= Date.now() && Date.now() < Date.parse(live.endAt);

/** 直播提醒账目, and 提前结束 for a show that ends before its time. */
function LivestreamFigures({ id, live }: { id: string; live: { startAt?: string; endAt?: string } | null }) {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const figures = useLoad(() => call('getLivestreamReminderFigures', { params: { id } }), [id]);
  const endEarly = () =>
    modal.confirm({
      title: '标记直播已提前结束？',
      content: '客户将看到直播已结束；尚未发送的开播提醒不再发送。此操作留痕。',
      okText: '标记提前结束',
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await call('markLivestream', { params: { id }, body: { endedEarly: true } });
          message.success('已标记提前结束');
          figures.reload();
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });
  return (
    <PageState loading={figures.loading} error={figures.error} onRetry={figures.reload}>
      {figures.data && (
        <FigureCard
          title="开播提醒"
          extra={can('content.edit') && onAir(live) && <Button onClick={endEarly}>提前结束</Button>}
          figures={[
            { label: '预约', value: people(figures.data.reservations) },
            { label: '订阅开播提醒', value: people(figures.data.subscribed) },
            { label: '已发送', value: people(figures.data.sent) },
            { label: '微信拒绝', value: people(figures.data.refused), hint: '客户的订阅已用完，或多次重试仍繁忙：已记录，不再重试' },
            { label: '结果未知', value: people(figures.data.unknown), hint: '已发出但未收到应答：微信不支持幂等，不重复发送' },
            { label: '处理中', value: people(figures.data.inFlight) },
            { label: '错过', value: people(figures.data.missed), hint: '已订阅、可联系，开播时仍未提醒' },
          ]}
          violations={figures.data.violations}
        />
      )}
    </PageState>
  );
}

/** 邀请活动数据: invites, who qualified, and the K factor. */
function InviteFigures({ id }: { id: string }) {
  const stats = useLoad(() => call('getInviteStats', { params: { id } }), [id]);
  return (
    <PageState loading={stats.loading} error={stats.error} onRetry={stats.reload}>
      {stats.data && (
        <FigureCard
          title="邀请数据"
          figures={[
            { label: '邀请到的新客户', value: people(stats.data.invites) },
            { label: '达标的被邀请人', value: people(stats.data.qualified), hint: '含超出邀请上限、未发奖励的' },
            { label: '分享过的客户', value: people(stats.data.sharers) },
            { label: '有好友达标的邀请人', value: people(stats.data.inviters) },
            { label: 'K 因子', value: stats.data.kFactor.toFixed(2), hint: '达标的被邀请人 ÷ 分享过的客户' },
            { label: '达标用时（中位数）', value: stats.data.medianHoursToQualify === null ? '—' : `${stats.data.medianHoursToQualify} 小时` },
            { label: '超出上限未奖励', value: people(stats.data.capped) },
          ]}
        />
      )}
    </PageState>
  );
}

/** The figures a live document of this kind has beyond 活动效果, or null when it has none. */
export function liveFiguresOf(kind: string, doc: { id: string; type: string; live: unknown }): ReactNode | null {
  const { id, type } = doc;
  if (kind === 'triggers') return <TriggerFigures id={id} />;
  if (kind === 'livestreams') return <LivestreamFigures id={id} live={doc.live as { startAt?: string; endAt?: string } | null} />;
  if (kind === 'activities' && type === 'invite') return <InviteFigures id={id} />;
  if (kind === 'rm-tasks') return <TaskExecution id={id} type={type as RmTaskType} />;
  return null;
}
