import { Form, Input, InputNumber, Select, type FormInstance } from 'antd';

type Path = (string | number)[];
type Value = string | number | boolean | (string | number)[];
const NUMERIC_OPS = new Set(['gt', 'gte', 'lt', 'lte']);
/** Event fields that hold numbers: compared as numbers whatever the operator. */
const NUMERIC_FIELDS = new Set(['amountYuan']);

/**
 * A trigger condition's value, edited as its operator needs it: several values for 属于 (in), a number for a
 * comparison or a numeric field, else text; never as JSON.
 */
export function ConditionValue({ at, form, value, onChange, id }: { at: Path; form: FormInstance; value?: Value; onChange?: (v: Value | undefined) => void; id?: string }) {
  const op = Form.useWatch([...at, 'op'], form) as string | undefined;
  const field = Form.useWatch([...at, 'field'], form) as string | undefined;
  const numeric = NUMERIC_OPS.has(op ?? '') || NUMERIC_FIELDS.has(field ?? '');
  if (op === 'in') {
    const values = Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value as string | number];
    return (
      <Select
        id={id}
        mode="tags"
        open={false}
        tokenSeparators={[',', '，']}
        placeholder="输入一个值后回车，可填多个"
        value={values.map(String)}
        onChange={(v: string[]) => onChange?.(numeric ? v.map(Number).filter((n) => !Number.isNaN(n)) : v)}
      />
    );
  }
  if (numeric)
    return <InputNumber id={id} style={{ width: 200 }} value={typeof value === 'number' ? value : undefined} onChange={(v) => onChange?.(v ?? undefined)} placeholder="填写数字" />;
  return (
    <Input
      id={id}
      value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
      onChange={(e) => onChange?.(e.target.value)}
      maxLength={64}
      placeholder="填写比较的值"
    />
  );
}
