import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { reviewStateNamesZh } from '@shared/contracts/review';
import { call } from '@/api/client';
import { kindByKey, titleOf, type AdminDoc, type ReviewedKind } from '@/kinds';

type Reference = {
  /** The reviewed kind the value names. */
  kind: ReviewedKind['key'];
  /** What is stored: the document's id or its bank code. */
  by: 'id' | 'code';
  /** Only documents of this type (a draw, a mall category); `items`: every mall type but categories. */
  type?: string;
  items?: boolean;
};

/**
 * Fields, by key, whose value names another document. Each is chosen from a searchable list of those
 * documents by title and code, never typed as a code or an id (a typed code was accepted on save and
 * refused at submission).
 */
export const REFERENCES: Record<string, Reference> = {
  itemCode: { kind: 'mall', by: 'code', items: true },
  itemCodes: { kind: 'mall', by: 'code', items: true },
  itemIds: { kind: 'mall', by: 'id', items: true },
  categoryCode: { kind: 'mall', by: 'code', type: 'category' },
  drawCode: { kind: 'activities', by: 'code', type: 'draw' },
  activityIds: { kind: 'activities', by: 'id' },
  activityId: { kind: 'activities', by: 'id' },
  contentId: { kind: 'library', by: 'id' },
};

type Option = { value: string; label: string };
const uniqueOptions = (options: Option[]) => [...new Map(options.map((o) => [o.value, o])).values()];
const GONE = new Set(['ended', 'withdrawn']);
const optionOf = (ref: Reference, doc: AdminDoc): Option => ({
  value: ref.by === 'id' ? doc.id : doc.code,
  label: `${titleOf(doc)}（${doc.code}）${doc.state === 'live' ? '' : ` · ${reviewStateNamesZh[doc.state]}`}`,
});

async function search(ref: Reference, q: string | undefined): Promise<Option[]> {
  const kind = kindByKey(ref.kind)!;
  const page = await call(kind.operations.list, { query: { q, type: ref.type, pageSize: 20 } });
  return page.items.filter((d) => !GONE.has(d.state) && (!ref.items || d.type !== 'category')).map((d) => optionOf(ref, d));
}

/** The documents the field holds now, by their titles (a code is found by searching it; an id is read). */
async function current(ref: Reference, values: string[]): Promise<Option[]> {
  const kind = kindByKey(ref.kind)!;
  const found = await Promise.all(
    values.map((v) =>
      ref.by === 'id'
        ? call(kind.operations.get, { params: { id: v } }).then(
            (d) => [optionOf(ref, d)],
            () => [],
          )
        : call(kind.operations.list, { query: { q: v, type: ref.type, pageSize: 20 } }).then(
            (p) => p.items.filter((d) => d.code === v).map((d) => optionOf(ref, d)),
            () => [],
          ),
    ),
  );
  return found.flat();
}

/** A searchable choice of documents for a field REFERENCES names; one or several as the field holds. */
export function ReferenceSelect({
  reference,
  multiple,
  value,
  onChange,
  id,
  disabled,
}: {
  reference: Reference;
  multiple: boolean;
  value?: string | string[];
  onChange?: (v: string | string[] | undefined) => void;
  id?: string;
  disabled?: boolean;
}) {
  const [options, setOptions] = useState<Option[]>([]);
  const [known, setKnown] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const values = value === undefined ? [] : [value].flat();
  const missing = values.filter((v) => !known.some((o) => o.value === v));

  const find = (q?: string) => {
    const mine = ++latest.current;
    setLoading(true);
    search(reference, q)
      .then((found) => mine === latest.current && setOptions(found))
      .catch(() => mine === latest.current && setOptions([]))
      .finally(() => mine === latest.current && setLoading(false));
  };
  useEffect(() => find(), []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (missing.length) void current(reference, missing).then((found) => setKnown((k) => uniqueOptions([...k, ...found])));
  }, [missing.join()]); // eslint-disable-line react-hooks/exhaustive-deps

  const merged = uniqueOptions([...known, ...options]);
  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      showSearch
      allowClear
      disabled={disabled}
      value={value}
      onChange={(v: string | string[] | undefined) => {
        setKnown((k) => uniqueOptions([...k, ...merged.filter((o) => [v ?? []].flat().includes(o.value))]));
        onChange?.(v);
      }}
      filterOption={false}
      onSearch={(q) => find(q.trim() || undefined)}
      loading={loading}
      notFoundContent={loading ? '查询中…' : '没有找到，请输入标题或编码查询'}
      placeholder="输入标题或编码搜索"
      options={merged}
      virtual={false}
    />
  );
}
