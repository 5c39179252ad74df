import { useState } from 'react';
import { Textarea, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { MyLead, MyLeadPage } from '@shared/contracts/leads';
import {
  FOLLOW_UP_METHODS,
  FOLLOW_UP_OUTCOMES,
  followUpMethodNamesZh as METHODS,
  followUpOutcomeNamesZh as OUTCOMES,
  type FollowUpMethod,
  type FollowUpOutcome,
} from '@shared/contracts/follow-ups';
import { leadClosedReasonNamesZh, leadStatusNamesZh as STATUS } from '@shared/lead-names';
import { followUpLead, getMyLeads } from '@/api/staff';
import { ApiError } from '@/api/http';
import { useApi } from '@/hooks/useApi';
import { BenchList } from './bench-list';
import { formatDay } from '@/utils/format';

const HOUR_MS = 60 * 60 * 1000;

/** How long is left to follow the lead up: 剩余 N 小时, or 已超时. */
function timeLeft(lead: MyLead): string {
  const left = Date.parse(lead.dueAt) - Date.now();
  if (left <= 0) return '已超时';
  return left < HOUR_MS ? '剩余不足 1 小时' : `剩余 ${Math.floor(left / HOUR_MS)} 小时`;
}

function stateLine(lead: MyLead): string {
  if (lead.status === 'followed_up' && lead.followUp)
    return `${METHODS[lead.followUp.method]} · ${OUTCOMES[lead.followUp.outcome]}${lead.followUp.withinSla ? '' : '（超时跟进）'}`;
  if (lead.status === 'closed') return `已关闭：${lead.closedReason ? leadClosedReasonNamesZh[lead.closedReason] : '无需跟进'}`;
  return `${timeLeft(lead)}${lead.status === 'escalated' ? ' · 已升级到分行' : ''}`;
}

/** The sheet recording one follow-up: how, what came of it, and a short note (no phone or ID numbers). */
function FollowUpSheet({ lead, onClose, onDone }: { lead: MyLead; onClose: () => void; onDone: (lead: MyLead | null) => void }) {
  const [method, setMethod] = useState<FollowUpMethod>('call');
  const [outcome, setOutcome] = useState<FollowUpOutcome | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!outcome) {
      void Taro.showToast({ title: '请选择跟进结果', icon: 'none' });
      return;
    }
    if (busy) return;
    setBusy(true);
    try {
      const recorded = await followUpLead(lead.id, { method, outcome, note: note.trim() || undefined });
      void Taro.showToast({ title: '已记录跟进', icon: 'none' });
      onDone(recorded);
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      void Taro.showToast({ title: e?.issues?.[0]?.message ?? e?.message ?? '提交失败，请稍后重试', icon: 'none' });
      // Followed up already (perhaps from another phone) or closed meanwhile: the list shows how it stands.
      if (e && e.status === 409) onDone(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="bench__sheet-mask" onClick={onClose}>
      <View className="bench__sheet" role="dialog" aria-label="记录跟进" data-testid="lead-sheet" onClick={(e) => e.stopPropagation()}>
        <Text className="bench__sheet-title">记录跟进 · {lead.customerName}</Text>
        <Text className="bench__sheet-label">跟进方式</Text>
        <View className="bench__choices bench__choices--flush">
          {FOLLOW_UP_METHODS.map((m) => (
            <Text key={m} className={`bench__choice ${m === method ? 'bench__choice--on' : ''}`} onClick={() => setMethod(m)} data-testid="lead-method">
              {METHODS[m]}
            </Text>
          ))}
        </View>
        <Text className="bench__sheet-label">跟进结果</Text>
        <View className="bench__choices bench__choices--flush">
          {FOLLOW_UP_OUTCOMES.map((o) => (
            <Text key={o} className={`bench__choice ${o === outcome ? 'bench__choice--on' : ''}`} onClick={() => setOutcome(o)} data-testid="lead-outcome">
              {OUTCOMES[o]}
            </Text>
          ))}
        </View>
        <Text className="bench__sheet-label">备注（选填，勿填手机号、证件号、卡号）</Text>
        <Textarea
          className="bench__note"
          value={note}
          maxlength={200}
          placeholder="如：客户有续存意向，已约周五网点面谈"
          onInput={(e) => setNote(e.detail.value)}
          data-testid="lead-note"
        />
        <View className="bench__sheet-actions">
          <Button className="bench__sheet-button bench__sheet-button--secondary" onClick={onClose}>
            取消
          </Button>
          <Button className="bench__sheet-button" onClick={() => void submit()} data-testid="lead-submit">
            {busy ? '提交中…' : '提交'}
          </Button>
        </View>
      </View>
    </View>
  );
}

/** 我的商机: leads the bank's rules made for my customers, newest first, with the time left to follow each up. */
export function Leads() {
  const [version, setVersion] = useState(0);
  const state = useApi<MyLeadPage>(() => getMyLeads(), { key: String(version) });
  const [open, setOpen] = useState<MyLead | null>(null);
  return (
    <BenchList
      state={state}
      testId="bench-leads"
      emptyText="暂无商机：客户有存款到期、大额资金流入等情况时会出现在这里"
      after={
        open && (
          <FollowUpSheet
            lead={open}
            onClose={() => setOpen(null)}
            onDone={(recorded) => {
              setOpen(null);
              // The lead as the books now hold it replaces its row at once; without it, the list loads again.
              if (recorded && state.data) state.show({ ...state.data, items: state.data.items.map((l) => (l.id === recorded.id ? recorded : l)) });
              else setVersion((v) => v + 1);
            }}
          />
        )
      }
    >
      {(lead) => {
        const actionable = lead.status === 'open' || lead.status === 'escalated';
        return (
          <View key={lead.id} className="bench__customer" data-testid="bench-lead">
            <View className="bench__customer-head">
              <Text className="bench__name">
                {lead.customerName} · {lead.ruleName}
              </Text>
              <Text className={`bench__status bench__status--${lead.status}`}>{STATUS[lead.status]}</Text>
            </View>
            <Text className="bench__meta">
              {lead.why} · {formatDay(lead.eventAt)}
            </Text>
            <Text className="bench__suggestion">建议：{lead.suggestion}</Text>
            <View className="bench__customer-head">
              <Text className={`bench__meta ${actionable && Date.parse(lead.dueAt) <= Date.now() ? 'bench__meta--late' : ''}`}>{stateLine(lead)}</Text>
              {actionable && (
                <Text className="bench__choice bench__choice--on" onClick={() => setOpen(lead)} data-testid="lead-follow-up">
                  记录跟进
                </Text>
              )}
            </View>
          </View>
        );
      }}
    </BenchList>
  );
}
