import { AutoComplete, Button, Card, Radio, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { FUNDS_CAPACITY, fundsCapacityNamesZh, RISK_LEVELS, riskLevelNamesZh, TagExpression, TIERS, type AudienceEstimate } from '@shared/contracts/targeting';
import { call } from '@/api/client';
import { useLoad } from '@/hooks/useLoad';

type Expr = TagExpression;
type Group = { all: Expr[] } | { any: Expr[] };
type Vocabulary = { tags: string[]; interests: string[]; lists: string[] };

/** The conditions a customer can be chosen by, each with its editor's name. */
const CONDITIONS = {
  tier: '客户等级',
  risk: '风险等级',
  funds: '资金实力',
  tag: '标签',
  interest: '兴趣',
  list: '名单',
  newCustomer: '新客户',
} as const;
type Condition = keyof typeof CONDITIONS;

const isGroup = (e: Expr): e is Group => 'all' in e || 'any' in e;
const membersOf = (g: Group) => ('all' in g ? g.all : g.any);
const conditionOf = (e: Expr): Condition => Object.keys(e)[0] as Condition;
const blank = (c: Condition): Expr =>
  c === 'tier' ? { tier: ['V3'] } : c === 'risk' ? { risk: ['R2'] } : c === 'funds' ? { funds: ['high'] } : c === 'newCustomer' ? { newCustomer: true } : ({ [c]: '' } as Expr);

/** One condition: what it tests and the values, with 排除 (NOT) around it. */
function ConditionRow({ value, onChange, onRemove, vocabulary }: { value: Expr; onChange: (e: Expr) => void; onRemove: () => void; vocabulary: Vocabulary | null }) {
  const excluded = 'not' in value && !isGroup(value.not);
  const inner = excluded ? (value as { not: Expr }).not : value;
  const set = (e: Expr) => onChange(excluded ? { not: e } : e);
  const c = conditionOf(inner);
  // Typed freely (a list may be uploaded after the activity is made), with what has been uploaded offered.
  const text = (key: 'tag' | 'interest' | 'list', values: string[] | undefined) => (
    <AutoComplete
      style={{ minWidth: 220 }}
      placeholder={`选择或输入${CONDITIONS[key]}`}
      value={(inner as Record<string, string>)[key]}
      onChange={(x: string) => set({ [key]: x.trim() } as Expr)}
      options={(values ?? []).map((x) => ({ value: x }))}
      filterOption={(input, option) => String(option?.value ?? '').includes(input)}
      aria-label={CONDITIONS[key]}
    />
  );
  return (
    <Space wrap align="center" data-testid="audience-condition">
      <Select<Condition>
        style={{ width: 120 }}
        value={c}
        aria-label="条件"
        onChange={(next) => set(blank(next))}
        options={(Object.keys(CONDITIONS) as Condition[]).map((k) => ({ value: k, label: CONDITIONS[k] }))}
      />
      {c === 'tier' && (
        <Select
          mode="multiple"
          style={{ minWidth: 220 }}
          aria-label="客户等级"
          value={(inner as { tier: string[] }).tier}
          onChange={(v) => set({ tier: v } as Expr)}
          options={TIERS.map((t) => ({ value: t, label: t }))}
        />
      )}
      {c === 'risk' && (
        <Select
          mode="multiple"
          style={{ minWidth: 260 }}
          aria-label="风险等级"
          value={(inner as { risk: string[] }).risk}
          onChange={(v) => set({ risk: v } as Expr)}
          options={RISK_LEVELS.map((r) => ({ value: r, label: riskLevelNamesZh[r] }))}
        />
      )}
      {c === 'funds' && (
        <Select
          mode="multiple"
          style={{ minWidth: 200 }}
          aria-label="资金实力"
          value={(inner as { funds: string[] }).funds}
          onChange={(v) => set({ funds: v } as Expr)}
          options={FUNDS_CAPACITY.map((f) => ({ value: f, label: fundsCapacityNamesZh[f] }))}
        />
      )}
      {c === 'tag' && text('tag', vocabulary?.tags)}
      {c === 'interest' && text('interest', vocabulary?.interests)}
      {c === 'list' && text('list', vocabulary?.lists)}
      {c === 'newCustomer' && (
        <Radio.Group value={(inner as { newCustomer: boolean }).newCustomer} onChange={(e) => set({ newCustomer: e.target.value as boolean })}>
          <Radio value={true}>是（近期注册）</Radio>
          <Radio value={false}>否</Radio>
        </Radio.Group>
      )}
      <Space size={4}>
        <Switch size="small" checked={excluded} onChange={(on) => onChange(on ? { not: inner } : inner)} aria-label="排除符合此条件的客户" />
        <Typography.Text>排除</Typography.Text>
      </Space>
      <Button type="link" danger onClick={onRemove}>
        删除
      </Button>
    </Space>
  );
}

/** A group of conditions joined by 且 (all) or 或 (any), holding conditions and groups of its own. */
function GroupEditor({
  value,
  onChange,
  onRemove,
  vocabulary,
  depth,
}: {
  value: Group;
  onChange: (g: Group) => void;
  onRemove?: () => void;
  vocabulary: Vocabulary | null;
  depth: number;
}) {
  const joiner: 'all' | 'any' = 'all' in value ? 'all' : 'any';
  const members = membersOf(value);
  const put = (next: Expr[]) => onChange((joiner === 'all' ? { all: next } : { any: next }) as Group);
  return (
    <Card
      size="small"
      type={depth ? 'inner' : undefined}
      title={
        <Radio.Group value={joiner} onChange={(e) => onChange((e.target.value === 'all' ? { all: members } : { any: members }) as Group)} optionType="button" size="small">
          <Radio value="all">满足全部条件（且）</Radio>
          <Radio value="any">满足任一条件（或）</Radio>
        </Radio.Group>
      }
      extra={
        onRemove && (
          <Button type="link" danger onClick={onRemove}>
            删除条件组
          </Button>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {members.map((m, i) => {
          const replace = (e: Expr) => put(members.map((x, j) => (j === i ? e : x)));
          const remove = () => put(members.filter((_, j) => j !== i));
          return isGroup(m) ? (
            <GroupEditor key={i} value={m} onChange={replace} onRemove={remove} vocabulary={vocabulary} depth={depth + 1} />
          ) : (
            <ConditionRow key={i} value={m} onChange={replace} onRemove={remove} vocabulary={vocabulary} />
          );
        })}
        {members.length === 0 && <Typography.Text type="danger">请至少添加一个条件</Typography.Text>}
        <Space>
          <Button size="small" onClick={() => put([...members, blank('tier')])}>
            添加条件
          </Button>
          {depth < 2 && (
            <Button size="small" onClick={() => put([...members, { any: [blank('tag')] }])}>
              添加条件组
            </Button>
          )}
        </Space>
      </Space>
    </Card>
  );
}

/** The audience's size now, asked again (after a pause) whenever a complete expression changes. */
export function Estimate({ expression }: { expression: Expr }) {
  const valid = TagExpression.safeParse(expression).success;
  const key = JSON.stringify(expression);
  const [asked, setAsked] = useState<string | null>(null);
  useEffect(() => {
    if (!valid) return;
    const timer = setTimeout(() => setAsked(key), 600);
    return () => clearTimeout(timer);
  }, [key, valid]);
  const estimate = useLoad(
    (): Promise<AudienceEstimate | null> => (asked ? call('estimateAudience', { body: { expression: JSON.parse(asked) as Expr } }) : Promise.resolve(null)),
    [asked],
  );
  if (!valid) return <Typography.Text type="warning">条件填写完整后估算人数</Typography.Text>;
  if (estimate.error) return <Typography.Text type="danger">人数暂时无法估算</Typography.Text>;
  if (!estimate.data || asked !== key || estimate.loading) return <Typography.Text type="secondary">正在估算人数…</Typography.Text>;
  const { matched, total } = estimate.data;
  return (
    <Typography.Text data-testid="audience-estimate">
      预计覆盖 <Typography.Text strong>{matched.toLocaleString('zh-CN')}</Typography.Text> 位客户（全行 {total.toLocaleString('zh-CN')} 位，占{' '}
      {total ? Math.round((matched / total) * 1000) / 10 : 0}%）
    </Typography.Text>
  );
}

/**
 * 目标客群 built by picking conditions (tier, risk, funds, tags, interests, lists, new customers), joined by 且 / 或
 * with 排除, in place of a typed expression; with the size it reaches now. The value stays the contract's TagExpression.
 */
export function AudienceBuilder({ value, onChange }: { value?: Expr; onChange?: (e: Expr) => void }) {
  const vocabulary = useLoad(() => call('getAudienceVocabulary'), []);
  // A single condition is edited as a group of one: the builder always shows 且/或.
  const group: Group = value && isGroup(value) ? value : { all: value ? [value] : [] };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <GroupEditor value={group} onChange={(g) => onChange?.(g)} vocabulary={vocabulary.data} depth={0} />
      <Estimate expression={group} />
    </Space>
  );
}
