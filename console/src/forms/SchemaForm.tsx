import { Button, Card, ConfigProvider, DatePicker, Form, Input, InputNumber, Select, Space, Switch, Tag, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { PARTNER_MINIPROGRAMS } from '@shared/life-rules';
import { BANK_TZ, dayjs } from '@/format';
import { AudienceBuilder } from './AudienceBuilder';
import { BankSelect } from './BankSelect';
import { ChoiceFields } from './ChoiceFields';
import { ConditionField } from './ConditionField';
import { ConditionValue } from './ConditionValue';
import { ImageField } from './ImageField';
import { OrgUnitSelect } from './OrgUnitSelect';
import { StaffSelect } from './StaffSelect';
import { discriminatorOf, isChoiceQuestion, isImageRef, isStringUnion, typeOf, unionOptions, type JsonSchema } from './json-schema';
import { enumNames, FIELD_UNITS, helpOf, labelOf } from './labels';
import { REFERENCES, ReferenceSelect } from './ReferenceSelect';

type Path = (string | number)[];
/** `at`: where the field is in the whole document, when `name` is relative to a list item (Form.List); it chooses the field's help. */
type FieldProps = { schema: JsonSchema; name: Path; at?: Path; label?: string; required: boolean; form: FormInstance; locked?: ReadonlySet<string> };

/** The field's own key: the last name in its path that is not a list position. */
const keyOf = (name: Path) => String([...name].reverse().find((p) => typeof p === 'string') ?? '');

/** A time as the contracts take it: ISO 8601 with the bank's offset. */
function DateTimeInput({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  return (
    <DatePicker
      id={id}
      showTime={{ format: 'HH:mm' }}
      format="YYYY年M月D日 HH:mm"
      placeholder="选择日期和时间（北京时间）"
      style={{ width: 240 }}
      value={value && dayjs(value).isValid() ? dayjs(value).tz(BANK_TZ) : null}
      onChange={(d) => onChange?.(d ? dayjs.tz(d.format('YYYY-MM-DDTHH:mm:ss'), BANK_TZ).format() : undefined)}
    />
  );
}

/** A part of the document too free-form for fields (a tag expression): edited as JSON, checked like the rest. */
function JsonInput({ value, onChange, id }: { value?: unknown; onChange?: (v: unknown) => void; id?: string }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  useEffect(() => {
    setText((current) => {
      try {
        if (current && JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        // the editor holds text that is not JSON yet: keep it
        if (typeof value === 'string') return current;
      }
      return value === undefined ? '' : JSON.stringify(value, null, 2);
    });
  }, [value]);
  return (
    <Input.TextArea
      id={id}
      rows={4}
      value={text}
      style={{ fontFamily: 'monospace' }}
      onChange={(e) => {
        setText(e.target.value);
        try {
          onChange?.(e.target.value.trim() === '' ? undefined : JSON.parse(e.target.value));
        } catch {
          onChange?.(e.target.value); // the schema then reports it
        }
      }}
    />
  );
}

/** The bounds a schema sets, as the person typing reads them: 1–40 个字, 可填 0–50 %. */
const bounds = (s: JsonSchema, unit: string | undefined) => {
  const max = s.maximum !== undefined && s.maximum < 1e15 ? s.maximum : undefined;
  if (s.maxLength !== undefined) return `${s.minLength ?? 0}–${s.maxLength} 个字`;
  if (s.minimum !== undefined && max !== undefined) return `可填 ${s.minimum}–${max}${unit ? ` ${unit}` : ''}`;
  if (s.minimum !== undefined) return `不小于 ${s.minimum}${unit ? ` ${unit}` : ''}`;
  return undefined;
};

/** Under a field: what it is for, with an example, then the bounds it takes. */
const explain = (s: JsonSchema, name: Path) => [helpOf(name), bounds(s, FIELD_UNITS[keyOf(name)])].filter(Boolean).join('；') || undefined;

/**
 * The chance one item of a weighted list (a draw's prizes) is drawn: its weight over the sum of
 * all weights, as the customer's rules page publishes it; follows the weights as they are typed.
 */
function Odds({ list, index, form }: { list: Path; index: number; form: FormInstance }) {
  const items = (Form.useWatch(list, form) as { weight?: unknown }[] | undefined) ?? [];
  const weightOf = (item: { weight?: unknown } | undefined) => (typeof item?.weight === 'number' && item.weight > 0 ? item.weight : 0);
  const total = items.reduce((sum, item) => sum + weightOf(item), 0);
  const percent = total > 0 ? (weightOf(items[index]) / total) * 100 : 0;
  return (
    <Tag color="blue" style={{ marginInlineStart: 8 }} data-testid="odds">
      中奖概率 {total > 0 ? `${Number(percent.toFixed(2))}%` : '—（请填写权重）'}
    </Tag>
  );
}

/** The draw's fallback (谢谢参与) chosen among the prizes the form lists, by name: its code is what is stored. */
function PrizeChoice({ prizes, form, value, onChange, id }: { prizes: Path; form: FormInstance; value?: string; onChange?: (v: string) => void; id?: string }) {
  const listed = ((Form.useWatch(prizes, form) as { code?: string; name?: string }[] | undefined) ?? []).filter((p) => p?.code);
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      virtual={false}
      placeholder="请先在奖品中添加「谢谢参与」，再选择"
      options={listed.map((p) => ({ value: p.code!, label: `${p.name ?? ''}（${p.code}）` }))}
    />
  );
}

function UnionField({ schema, name, at = name, label, required, form, locked }: FieldProps) {
  const options = unionOptions(schema)!;
  const key = discriminatorOf(options);
  const chosen = Form.useWatch([...name, key ?? ''], form) as unknown;
  if (!key)
    return (
      <Form.Item name={name} label={label} required={required}>
        <JsonInput />
      </Form.Item>
    );
  const option = options.find((o) => o.properties![key].const === chosen);
  const fixed = locked?.has([...name, key].join('.'));
  const values = options.map((o) => o.properties![key].const);
  const nameOf = enumNames(key, values);
  const select = (
    <Form.Item
      name={[...name, key]}
      label={name.length === 0 ? labelOf(key) : `${label ?? ''}${label ? '：' : ''}${labelOf(key)}`}
      required={required}
      extra={helpOf([...at, key])}
    >
      <Select
        allowClear={!required}
        // `false` would override a read-only form: only ever set it to true.
        disabled={fixed || undefined}
        virtual={false}
        placeholder={required ? '请选择' : '不设置'}
        options={values.map((v) => ({ value: v as string, label: nameOf(v) }))}
        onChange={(v) => {
          if (v === undefined) form.setFieldValue(name.length ? name : [key], undefined);
        }}
      />
    </Form.Item>
  );
  const rest = option ? <ObjectFields schema={option} name={name} at={at} form={form} locked={locked} skip={key} /> : null;
  if (name.length === 0)
    return (
      <>
        {select}
        {rest}
      </>
    );
  return (
    <Card size="small" title={label} style={{ marginBottom: 16 }}>
      {select}
      {rest}
    </Card>
  );
}

function ObjectFields({ schema, name, at = name, form, locked, skip }: Omit<FieldProps, 'required' | 'label'> & { skip?: string }) {
  const choices = isChoiceQuestion(schema);
  return (
    <>
      {Object.entries(schema.properties ?? {})
        .filter(([key, child]) => key !== skip && child.const === undefined && !(choices && key === 'answer'))
        .map(([key, child]) =>
          choices && key === 'options' ? (
            <ChoiceFields key={key} name={name} listsAnswers={typeOf(schema.properties!.answer) === 'array'} hasFormat={!!schema.properties!.format} />
          ) : (
            <SchemaField
              key={key}
              schema={child}
              name={[...name, key]}
              at={[...at, key]}
              label={labelOf(key)}
              required={!!schema.required?.includes(key) && child.default === undefined}
              form={form}
              locked={locked}
            />
          ),
        )}
    </>
  );
}

/** One field of a document, chosen from its JSON Schema; nested objects and lists recurse. */
export function SchemaField(props: FieldProps) {
  const { schema, name, at = name, label, required, form, locked } = props;
  // A locked field and everything under it (a draw's prize list) is shown disabled, whatever the form's own state.
  if (locked?.has(name.join('.')))
    return (
      <ConfigProvider componentDisabled>
        <SchemaField {...props} locked={undefined} />
      </ConfigProvider>
    );
  const unit = FIELD_UNITS[keyOf(at)];
  const common = { name, label, required, extra: explain(schema, at) };
  if (schema.$ref?.endsWith('/TagExpression'))
    return (
      <Form.Item {...common}>
        <AudienceBuilder />
      </Form.Item>
    );
  if (schema.$ref)
    return (
      <Form.Item {...common}>
        <JsonInput />
      </Form.Item>
    );
  // A trigger condition's value: its type follows the condition's operator and field.
  if (keyOf(at) === 'value' && unionOptions(schema)?.some((o) => o.type === 'array'))
    return (
      <Form.Item {...common}>
        <ConditionValue at={at.slice(0, -1)} form={form} />
      </Form.Item>
    );
  if (unionOptions(schema) && !isStringUnion(schema)) return <UnionField {...props} />;
  const type = isStringUnion(schema) ? 'string' : typeOf(schema);
  if (schema.enum) {
    const nameOf = enumNames(keyOf(at), schema.enum);
    return (
      <Form.Item {...common}>
        <Select allowClear={!required} virtual={false} placeholder="请选择" options={schema.enum.map((v) => ({ value: v as string, label: nameOf(v) }))} />
      </Form.Item>
    );
  }
  if (isImageRef(schema))
    return (
      <Form.Item {...common}>
        <ImageField />
      </Form.Item>
    );
  if (keyOf(at) === 'codes' && at.includes('bank'))
    return (
      <Form.Item {...common}>
        <BankSelect />
      </Form.Item>
    );
  // A trigger condition's field: by its name, beside the value typed as the operator needs.
  if (keyOf(at) === 'field' && at.includes('conditions'))
    return (
      <Form.Item {...common}>
        <ConditionField />
      </Form.Item>
    );
  if (keyOf(at) === 'appId')
    return (
      <Form.Item {...common}>
        <Select placeholder="选择合作小程序" virtual={false} options={Object.entries(PARTNER_MINIPROGRAMS).map(([value, name]) => ({ value, label: name }))} />
      </Form.Item>
    );
  if (keyOf(at) === 'orgUnitId')
    return (
      <Form.Item {...common}>
        <OrgUnitSelect />
      </Form.Item>
    );
  if (keyOf(at) === 'unitIds')
    return (
      <Form.Item {...common}>
        <OrgUnitSelect multiple allowClear />
      </Form.Item>
    );
  // A target's allocation: to a unit below, or to a manager, each chosen by name.
  if (keyOf(at) === 'unitId')
    return (
      <Form.Item {...common}>
        <OrgUnitSelect allowClear />
      </Form.Item>
    );
  if (keyOf(at) === 'rmId')
    return (
      <Form.Item {...common}>
        <StaffSelect role="rm" allowClear />
      </Form.Item>
    );
  if (keyOf(at) === 'fallbackCode')
    return (
      <Form.Item {...common}>
        <PrizeChoice prizes={[...at.slice(0, -1), 'prizes']} form={form} />
      </Form.Item>
    );
  const reference = REFERENCES[keyOf(at)];
  if (reference && (type === 'string' || (type === 'array' && schema.items && typeOf(schema.items) === 'string')))
    return (
      <Form.Item {...common}>
        <ReferenceSelect reference={reference} multiple={type === 'array'} />
      </Form.Item>
    );
  if (type === 'string') {
    if (schema.format === 'date-time')
      return (
        <Form.Item {...common}>
          <DateTimeInput />
        </Form.Item>
      );
    if ((schema.maxLength ?? 0) > 100)
      return (
        <Form.Item {...common}>
          <Input.TextArea rows={3} showCount maxLength={schema.maxLength} />
        </Form.Item>
      );
    return (
      <Form.Item {...common}>
        <Input maxLength={schema.maxLength} />
      </Form.Item>
    );
  }
  if (type === 'integer' || type === 'number') {
    return (
      <Form.Item {...common}>
        <InputNumber
          style={{ width: 200 }}
          min={schema.minimum}
          max={schema.maximum !== undefined && schema.maximum < 1e15 ? schema.maximum : undefined}
          precision={type === 'integer' ? 0 : undefined}
          suffix={unit}
        />
      </Form.Item>
    );
  }
  if (type === 'boolean')
    return (
      <Form.Item {...common} valuePropName="checked">
        <Switch />
      </Form.Item>
    );
  if (type === 'array' && schema.items) {
    const items = schema.items;
    if (items.enum) {
      const nameOf = enumNames(keyOf(at), items.enum);
      return (
        <Form.Item {...common}>
          <Select mode="multiple" virtual={false} placeholder="请选择，可多选" options={items.enum.map((v) => ({ value: v as string, label: nameOf(v) }))} />
        </Form.Item>
      );
    }
    if (typeOf(items) === 'string')
      return (
        <Form.Item {...common}>
          <Select mode="tags" open={false} placeholder="输入后回车添加" />
        </Form.Item>
      );
    if (typeOf(items) === 'object' || unionOptions(items)) {
      return (
        <Card size="small" title={label} style={{ marginBottom: 16 }}>
          <Form.List name={name}>
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Card
                    key={field.key}
                    size="small"
                    type="inner"
                    title={
                      <>
                        第 {field.name + 1} 项{items.properties?.weight && <Odds list={name} index={field.name} form={form} />}
                      </>
                    }
                    extra={
                      <Button type="link" danger onClick={() => remove(field.name)}>
                        删除
                      </Button>
                    }
                    style={{ marginBottom: 8 }}
                  >
                    <SchemaField schema={items} name={[field.name]} at={[...at, field.name]} required form={form} locked={locked} />
                  </Card>
                ))}
                <Button type="dashed" onClick={() => add()} block>
                  添加{label}
                </Button>
                {common.extra && <div className="ant-form-item-extra">{common.extra}</div>}
              </>
            )}
          </Form.List>
        </Card>
      );
    }
    return (
      <Form.Item {...common}>
        <JsonInput />
      </Form.Item>
    );
  }
  if (type === 'object' && schema.properties) {
    return (
      <Card size="small" title={label} style={{ marginBottom: 16 }}>
        <ObjectFields schema={schema} name={name} at={at} form={form} locked={locked} />
      </Card>
    );
  }
  return (
    <Form.Item {...common}>
      <JsonInput />
    </Form.Item>
  );
}

/** The whole document's fields; `locked` names the top-level fields that may no longer change (code and type once created, a live draw's prizes and rules). */
export function SchemaFields({ schema, form, locked }: { schema: JsonSchema; form: FormInstance; locked?: ReadonlySet<string> }) {
  if (unionOptions(schema)) return <UnionField schema={schema} name={[]} required form={form} locked={locked} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ObjectFields schema={schema} name={[]} form={form} locked={locked} />
    </Space>
  );
}
