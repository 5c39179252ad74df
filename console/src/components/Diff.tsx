import { Table, Typography } from 'antd';
import { Fragment } from 'react';
import { beijingTime, isIsoMoment } from '../format';
import { pathLabel } from '../forms/labels';

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
const show = (v: unknown) => (absent(v) ? '（无）' : isIsoMoment(v) ? beijingTime(v) : typeof v === 'string' ? v : JSON.stringify(v));

/** Field-by-field changes, banned wording marked on the new side. */
export function DiffTable({ items, words = [] }: { items: DiffItem[]; words?: readonly string[] }) {
  return (
    <Table<DiffItem>
      size="small"
      rowKey="path"
      pagination={false}
      // A change is shown by its fields; the whole-document line adds nothing to them.
      dataSource={items.filter((i) => i.path !== '')}
      locale={{ emptyText: '没有字段变化' }}
      columns={[
        { title: '字段', dataIndex: 'path', width: 200, render: (p: string) => pathLabel(p) },
        {
          title: '修改前',
          dataIndex: 'before',
          render: (v: unknown) => (
            <Typography.Text type="secondary" delete={!absent(v)}>
              {show(v)}
            </Typography.Text>
          ),
        },
        { title: '修改后', dataIndex: 'after', render: (v: unknown) => <Highlighted text={show(v)} words={words} /> },
      ]}
    />
  );
}

/** The changes between two versions of a document, leaf by leaf (arrays compared whole). */
export function diffOf(before: unknown, after: unknown, path = ''): DiffItem[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffOf(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (isObj(after) && before === undefined) return Object.keys(after).flatMap((k) => diffOf(undefined, after[k], path ? `${path}.${k}` : k));
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}
