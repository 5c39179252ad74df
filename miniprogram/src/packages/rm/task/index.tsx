import { useState } from 'react';
import { View, Text, Textarea, Button as ShareButton } from '@tarojs/components';
import Taro, { useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { followUpMethodNamesZh, followUpOutcomeNamesZh, FOLLOW_UP_METHODS, FOLLOW_UP_OUTCOMES, type FollowUpMethod, type FollowUpOutcome } from '@shared/contracts/follow-ups';
import type { RmTaskDetail } from '@shared/contracts/marketing-tasks';
import { rmTaskTypeNamesZh } from '@shared/marketing-task-names';
import type { PosterSpec } from '@shared/contracts/referrals';
import { getMyTask, hasStaffSession, recordFollowUp, shareMyTask } from '@/api/staff';
import { useApi } from '@/hooks/useApi';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import { StateView } from '@/components/state-view';
import { PosterCanvas } from '@/components/poster-canvas';
import { formatDate, formatTime } from '@/utils/format';
import { toastError } from '@/utils/toast';
import { copyShareLink } from '@/utils/share-link';
import { TaskProgress } from '../task-progress';
import '../task-progress.scss';
import './index.scss';

type Customer = RmTaskDetail['customers'][number];

/** Choices as a row of chips: one is picked. */
function Chips<T extends string>({
  label,
  values,
  names,
  value,
  onChange,
}: {
  label: string;
  values: readonly T[];
  names: Record<T, string>;
  value: T | null;
  onChange: (v: T) => void;
}) {
  return (
    <View className="task-page__field" role="radiogroup" aria-label={label}>
      <Text className="task-page__label">{label}</Text>
      <View className="task-page__chips">
        {values.map((v) => (
          <View
            key={v}
            role="radio"
            aria-checked={value === v}
            className={`task-page__chip ${value === v ? 'task-page__chip--on' : ''}`}
            onClick={() => onChange(v)}
            data-testid={`chip-${v}`}
          >
            {names[v]}
          </View>
        ))}
      </View>
    </View>
  );
}

/** One customer on my list: followed up (how, with what outcome), or a form to record it. */
function CustomerRow({ taskId, customer, running, onRecorded }: { taskId: string; customer: Customer; running: boolean; onRecorded: (task: RmTaskDetail) => void }) {
  const [open, setOpen] = useState(false);
  const [method, setMethod] = useState<FollowUpMethod | null>(null);
  const [outcome, setOutcome] = useState<FollowUpOutcome | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!method || !outcome) {
      void Taro.showToast({ title: '请选择跟进方式和结果', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      // The task as the books now hold it replaces the page at once: a row left showing 记录跟进 until a reload came back invited a second tap.
      onRecorded(await recordFollowUp(taskId, { customerId: customer.customerId, method, outcome, note }));
      void Taro.showToast({ title: '已记录跟进', icon: 'success' });
      setOpen(false);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  };
  const done = customer.followUp;
  return (
    <View className="task-page__customer" data-testid="task-customer">
      <View className="task-page__customer-head">
        <View className="task-page__who">
          <Text className="task-page__name">{customer.name}</Text>
          <Text className="task-page__meta">{customer.phone ?? '未绑定手机'}</Text>
        </View>
        {done ? (
          <Text className="task-page__done" data-testid="task-customer-done">
            已跟进 · {followUpMethodNamesZh[done.method]} · {followUpOutcomeNamesZh[done.outcome]}
          </Text>
        ) : running && !open ? (
          <View className="task-page__record" role="button" onClick={() => setOpen(true)} data-testid="task-customer-record">
            记录跟进
          </View>
        ) : null}
      </View>
      {done?.note ? (
        <Text className="task-page__meta">
          {formatDate(done.at)} {formatTime(done.at)} · {done.note}
        </Text>
      ) : null}
      {open && !done && (
        <View className="task-page__form" data-testid="follow-up-form">
          <Chips label="跟进方式" values={FOLLOW_UP_METHODS} names={followUpMethodNamesZh} value={method} onChange={setMethod} />
          <Chips label="跟进结果" values={FOLLOW_UP_OUTCOMES} names={followUpOutcomeNamesZh} value={outcome} onChange={setOutcome} />
          <View className="task-page__field">
            <Text className="task-page__label">备注（选填，请勿填写手机号、证件号等个人信息）</Text>
            <Textarea
              className="task-page__note"
              value={note}
              maxlength={200}
              placeholder="例如：客户关注年末理财，约下周到网点"
              onInput={(e) => setNote(e.detail.value)}
              aria-label="备注"
            />
          </View>
          <View className="task-page__actions">
            <Button onClick={() => setOpen(false)}>取消</Button>
            <Button type="primary" loading={busy} disabled={busy} onClick={() => void save()} data-testid="follow-up-save">
              保存
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}

/** A share task: my poster carrying the task's scene (arrivals through it count for me). */
function PosterPart({ taskId }: { taskId: string }) {
  const [poster, setPoster] = useState<PosterSpec | null>(null);
  const [busy, setBusy] = useState(false);
  const make = async () => {
    setBusy(true);
    try {
      setPoster((await shareMyTask(taskId)).poster);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  };
  return poster ? (
    <PosterCanvas spec={poster} />
  ) : (
    <Button type="primary" block loading={busy} disabled={busy} onClick={() => void make()} data-testid="task-make-poster">
      生成我的任务海报
    </Button>
  );
}

/** The card WeChat sends for a content task: the content page, with my task scene once it is made (WeChat waits up to three seconds). */
function contentCard(task: RmTaskDetail) {
  const card = { title: task.content?.title ?? task.title, path: `/packages/content/view/index?id=${task.content?.id ?? ''}` };
  return { ...card, promise: shareMyTask(task.id).then((s) => ({ ...card, path: s.share?.path ?? card.path })) };
}

/** A content task: send the piece with my task scene (opens through it count for me). */
function ContentPart({ task, onShared }: { task: RmTaskDetail; onShared: () => void }) {
  const [busy, setBusy] = useState(false);
  const copy = async () => {
    setBusy(true);
    try {
      const { share } = await shareMyTask(task.id);
      if (share) await copyShareLink(share.path, '链接已复制，发给客户吧');
      onShared();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  };
  return process.env.TARO_ENV === 'h5' ? (
    <Button type="primary" block loading={busy} disabled={busy} onClick={() => void copy()} data-testid="task-share-content">
      复制链接，发给客户
    </Button>
  ) : (
    <ShareButton className="task-page__share" openType="share" data-testid="task-share-content">
      分享「{task.content?.title}」给客户
    </ShareButton>
  );
}

/** 任务详情: what is asked, how far I am (measured), and where I do it. */
export default function TaskPage() {
  const id = useRouter().params.id ?? '';
  const [key, setKey] = useState(0);
  useDidShow(() => {
    if (!hasStaffSession()) void Taro.redirectTo({ url: '/packages/rm/login/index' });
  });
  usePullToRefresh(() => setKey((k) => k + 1));
  const { data, error, loading, reload, show } = useApi(() => getMyTask(id), { key: `${id}:${key}` });
  const running = data?.state === 'running';
  useShareAppMessage(() => (data?.type === 'send_content' ? contentCard(data) : { title: '悦享银行', path: '/pages/index/index' }));
  return (
    <View className="task-page">
      <StateView loading={loading} error={error} onRetry={reload}>
        {data && (
          <>
            <View className="task-page__card" data-testid="task-head">
              <View className="task-page__title-row">
                <Text className="task-page__title">{data.title}</Text>
                <Text className="task-page__type">{rmTaskTypeNamesZh[data.type]}</Text>
              </View>
              <Text className="task-page__meta">
                {data.issuer} 下达{data.activity ? ` · 活动「${data.activity.title}」` : ''}
                {data.content ? ` · 内容「${data.content.title}」` : ''}
              </Text>
              <Text className="task-page__desc">{data.description}</Text>
              <TaskProgress task={data} />
            </View>
            {data.type === 'share_poster' && running && (
              <View className="task-page__card">
                <PosterPart taskId={data.id} />
              </View>
            )}
            {data.type === 'send_content' && running && (
              <View className="task-page__card">
                <ContentPart task={data} onShared={reload} />
              </View>
            )}
            {data.type === 'follow_up' && (
              <View className="task-page__card" data-testid="task-customers">
                <Text className="task-page__section">我的跟进名单</Text>
                {data.customers.length === 0 ? (
                  <Text className="task-page__meta">名单中暂无客户：您服务的客户都不在本次任务的范围内，或已关闭个性化推荐。</Text>
                ) : (
                  data.customers.map((c) => <CustomerRow key={c.customerId} taskId={data.id} customer={c} running={running} onRecorded={show} />)
                )}
              </View>
            )}
          </>
        )}
      </StateView>
    </View>
  );
}
