import { Button, Card, ConfigProvider, DatePicker, Form, Input, InputNumber, Select, Space, Switch, type FormInstance } from 'antd';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { useEffect, useState } from 'react';
import { ChoiceFields } from './ChoiceFields';
import { discriminatorOf, isChoiceQuestion, isStringUnion, typeOf, unionOptions, type JsonSchema } from './json-schema';
import { labelOf } from './labels';

dayjs.extend(utc);
dayjs.extend(timezone);
const BANK_TZ = 'Asia/Shanghai';

type Path = (string | number)[];
type FieldProps = { schema: JsonSchema; name: Path; label?: string; required: boolean; form: FormInstance; locked?: ReadonlySet<string>; typeNames?: Record<string, string> };

/** A time as the contracts take it: ISO 8601 with the bank's offset. */
function DateTimeInput({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  return (
    <DatePicker
      id={id}
      showTime
      format="YYYY-MM-DD HH:mm"
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

const hint = (s: JsonSchema) => {
  const parts: string[] = [];
  if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`${s.minLength ?? 0}–${s.maxLength ?? '∞'} 字`);
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`范围 ${s.minimum ?? '-∞'}–${s.maximum !== undefined && s.maximum < 1e15 ? s.maximum : '∞'}`);
  return parts.join('，') || undefined;
};

function UnionField({ schema, name, label, required, form, locked, typeNames }: FieldProps) {
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
  const names = key === 'type' ? typeNames : undefined;
  const select = (
    <Form.Item name={[...name, key]} label={name.length === 0 ? labelOf(key) : `${label ?? ''}${label ? '：' : ''}${labelOf(key)}`} required={required}>
      <Select
        allowClear={!required}
        // `false` would override a read-only form: only ever set it to true.
        disabled={fixed || undefined}
        placeholder={required ? '请选择' : '不设置'}
        options={options.map((o) => ({ value: o.properties![key].const as string, label: names?.[String(o.properties![key].const)] ?? String(o.properties![key].const) }))}
        onChange={(v) => {
          if (v === undefined) form.setFieldValue(name.length ? name : [key], undefined);
        }}
      />
    </Form.Item>
  );
  const rest = option ? <ObjectFields schema={option} name={name} form={form} locked={locked} typeNames={typeNames} skip={key} /> : null;
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

function ObjectFields({ schema, name, form, locked, typeNames, skip }: Omit<FieldProps, 'required' | 'label'> & { skip?: string }) {
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
              label={labelOf(key)}
              required={!!schema.required?.includes(key) && child.default === undefined}
              form={form}
              locked={locked}
              typeNames={typeNames}
            />
          ),
        )}
    </>
  );
}

/** One field of a document, chosen from its JSON Schema; nested objects and lists recurse. */
export function SchemaField(props: FieldProps) {
  const { schema, name, label, required, form, locked } = props;
  // A locked field and everything under it (a draw's prize list) is shown disabled, whatever the form's own state.
  if (locked?.has(name.join('.')))
    return (
      <ConfigProvider componentDisabled>
        <SchemaField {...props} locked={undefined} />
      </ConfigProvider>
    );
  const common = { name, label, required, tooltip: schema.description, extra: hint(schema) };
  if (schema.$ref)
    return (
      <Form.Item {...common}>
        <JsonInput />
      </Form.Item>
    );
  if (unionOptions(schema) && !isStringUnion(schema)) return <UnionField {...props} />;
  const type = isStringUnion(schema) ? 'string' : typeOf(schema);
  if (schema.enum) {
    return (
      <Form.Item {...common}>
        <Select allowClear={!required} options={schema.enum.map((v) => ({ value: v as string, label: String(v) }))} />
      </Form.Item>
    );
  }
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
    if (items.enum)
      return (
        <Form.Item {...common}>
          <Select mode="multiple" options={items.enum.map((v) => ({ value: v as string, label: String(v) }))} />
        </Form.Item>
      );
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
                    title={`第 ${field.name + 1} 项`}
                    extra={
                      <Button type="link" danger onClick={() => remove(field.name)}>
                        删除
                      </Button>
                    }
                    style={{ marginBottom: 8 }}
                  >
                    <SchemaField schema={items} name={[field.name]} required form={form} locked={locked} typeNames={props.typeNames} />
                  </Card>
                ))}
                <Button type="dashed" onClick={() => add()} block>
                  添加{label}
                </Button>
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
        <ObjectFields schema={schema} name={name} form={form} locked={locked} typeNames={props.typeNames} />
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
export function SchemaFields({ schema, form, locked, typeNames }: { schema: JsonSchema; form: FormInstance; locked?: ReadonlySet<string>; typeNames?: Record<string, string> }) {
  if (unionOptions(schema)) return <UnionField schema={schema} name={[]} required form={form} locked={locked} typeNames={typeNames} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ObjectFields schema={schema} name={[]} form={form} locked={locked} typeNames={typeNames} />
    </Space>
  );
}
