import { Input, Select, Space } from 'antd';

/** The event fields a trigger condition can test (TriggerCondition in shared/contracts/triggers.ts), by their names. */
const FIELDS: Record<string, string> = { amountYuan: '金额（元）', productCode: '产品编码', page: '页面', activityId: '活动', itemId: '商品' };
const PROPS = 'props.';

/**
 * A trigger condition's field, chosen by its name; or one of the event's own properties (`props.…`), named as
 * the bank's event carries it.
 */
export function ConditionField({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const custom = value?.startsWith(PROPS) ?? false;
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        id={id}
        style={{ width: 200 }}
        value={custom ? PROPS : value}
        onChange={(v: string) => onChange?.(v === PROPS ? PROPS : v)}
        placeholder="选择条件字段"
        options={[...Object.entries(FIELDS).map(([v, label]) => ({ value: v, label })), { value: PROPS, label: '事件属性（自定义）' }]}
        virtual={false}
      />
      {custom && (
        <Input
          aria-label="事件属性名"
          placeholder="属性名，小写字母开头，如 channel"
          value={value!.slice(PROPS.length)}
          onChange={(e) => onChange?.(`${PROPS}${e.target.value.trim()}`)}
          maxLength={32}
        />
      )}
    </Space.Compact>
  );
}
