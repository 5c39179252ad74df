import { Select } from 'antd';
import { call } from '@/api/client';
import { useLoad } from '@/hooks/useLoad';

/** A quiz's 题库, chosen among the banks with live questions, each with how many it has. */
export function BankSelect({ value, onChange, id }: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const banks = useLoad(() => call('listQuizBanks').then((r) => r.items), []);
  const known = new Set((banks.data ?? []).map((b) => b.code));
  return (
    <Select
      id={id}
      mode="multiple"
      value={value}
      onChange={onChange}
      loading={banks.loading}
      placeholder="选择题库，可多选"
      notFoundContent={banks.loading ? '加载中…' : '还没有已上线题目的题库'}
      options={[
        ...(banks.data ?? []).map((b) => ({ value: b.code, label: `${b.code}（${b.liveQuestions} 题已上线）` })),
        // A bank named before its questions went live (or after they were withdrawn) stays shown, with that said.
        ...(value ?? []).filter((c) => !known.has(c)).map((c) => ({ value: c, label: `${c}（暂无已上线题目）` })),
      ]}
      virtual={false}
    />
  );
}
