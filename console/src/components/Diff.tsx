import { Table, Typography } from 'antd';
import { Fragment } from 'react';
import { isOptionList, optionsText, readableChoices } from '../forms/choices';
import { beijingTime, isIsoMoment } from '../format';
import { enumNames, FIELD_UNITS, pathLabel } from '../forms/labels';

export type DiffItem = { path: string; before: unknown; after: unknown };

/** Text with every banned word marked, so a reviewer sees it at once. */
export function Highlighted({ text, words }: { text: string; words: readonly string[] }) {
  const live = words.filter((w) => w && text.includes(w));
  if (!live.length) return <>{text}</>;
  const pattern = new RegExp(`(${live.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'g');
  return (
    <>
      {text.split(pattern).map((part, i) =>
        live.includes(part) ? (
          <mark key={i} className="banned-word" title="金融营销禁用词" style={{ background: '#ffccc7', color: '#a8071a' }}>
            {part}
          </mark>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

const absent = (v: unknown) => v === undefined || v === null;
/** The field a path ends in (prizes.2.kind: kind), which names its choices and its unit. */
const fieldOf = (path: string) =>
  path
    .split('.')
    .filter((p) => !/^\d+$/.test(p))
    .pop() ?? '';
/**
 * A value as the form shows it: a unit by its name, a choice by its Chinese name, a number with its unit, yes or no, times in
 * Beijing time, a question's options as the editor lists them (the revision history's diffs come from the BFF as stored).
 */
function show(v: unknown, path: string, orgName?: (id: string) => string): string {
  const field = fieldOf(path);
  if (absent(v)) return '（无）';
  if (field === 'orgUnitId' && typeof v === 'string' && orgName) return orgName(v);
  if (isIsoMoment(v)) return beijingTime(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return FIELD_UNITS[field] ? `${v} ${FIELD_UNITS[field]}` : String(v);
  if (typeof v === 'string') return enumNames(field, [v])(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.map((x) => enumNames(field, [x])(x)).join('、') || '（无）';
  return isOptionList(v) ? optionsText(v) : JSON.stringify(v);
}

/** Field-by-field changes, banned wording marked on the new side. */
export function DiffTable({ items, words = [], orgName }: { items: DiffItem[]; words?: readonly string[]; orgName?: (id: string) => string }) {
  return (
    <Table<DiffItem>
      size="small"
      rowKey="path"
      pagination={false}
      // A change is shown by its fields; the whole-document line adds nothing to them.
      dataSource={items.filter((i) => i.path !== '')}
      locale={{ emptyText: '没有字段变化' }}
      columns={[
        { title: '字段', dataIndex: 'path', width: 280, render: (p: string) => pathLabel(p) },
        {
          title: '修改前',
          dataIndex: 'before',
          render: (v: unknown, item) => (
            <Typography.Text type="secondary" delete={!absent(v)}>
              {show(v, item.path, orgName)}
            </Typography.Text>
          ),
        },
        { title: '修改后', dataIndex: 'after', render: (v: unknown, item) => <Highlighted text={show(v, item.path, orgName)} words={words} /> },
      ]}
    />
  );
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isObjList = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v) && v.every(isObj);

/**
 * The changes between two versions of a document, leaf by leaf: lists of objects (a quiz's questions) item by
 * item, other lists compared whole.
 */
export function diffOf(before: unknown, after: unknown, path = ''): DiffItem[] {
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffOf(before[k], after[k], at(k)));
  }
  if (isObj(after) && before === undefined) return Object.keys(after).flatMap((k) => diffOf(undefined, after[k], at(k)));
  if (isObjList(after) && (before === undefined || isObjList(before)))
    return Array.from({ length: Math.max(after.length, before?.length ?? 0) }, (_, i) => diffOf(before?.[i], after[i], at(i))).flat();
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** What a reviewer is shown changed between the approved and the working version: questions' right answers by their text. */
export const reviewDiff = (live: unknown, working: unknown) => diffOf(readableChoices(live ?? undefined), readableChoices(working ?? undefined));
