import { Select } from 'antd';
import { useMemo } from 'react';
import { useDirectory } from '@/hooks/useDirectory';

/**
 * A unit of the caller's own and those below it, chosen from the bank's tree (each unit under its parent,
 * indented): a document's 所属机构, or a list's filter; with `multiple`, several (the units that may use a piece of content).
 */
export function OrgUnitSelect({
  value,
  onChange,
  id,
  allowClear,
  multiple,
  placeholder = multiple ? '选择机构，可多选' : '选择机构',
}: { id?: string; allowClear?: boolean; placeholder?: string } & (
  { multiple?: false; value?: string; onChange?: (v: string | undefined) => void } | { multiple: true; value?: string[]; onChange?: (v: string[] | undefined) => void }
)) {
  const names = useDirectory();
  const options = useMemo(() => {
    const units = names?.orgUnits ?? [];
    const known = new Set(units.map((u) => u.id));
    const childrenOf = (parent: string | null) => units.filter((u) => (parent === null ? !u.parentId || !known.has(u.parentId) : u.parentId === parent));
    const walk = (parent: string | null, depth: number): { value: string; label: string; name: string }[] =>
      childrenOf(parent).flatMap((u) => [{ value: u.id, label: `${'\u3000'.repeat(depth)}${u.name}`, name: u.name }, ...walk(u.id, depth + 1)]);
    return walk(null, 0);
  }, [names]);
  return (
    <Select
      id={id}
      value={names ? value : undefined}
      onChange={onChange as (v: string | string[] | undefined) => void}
      mode={multiple ? 'multiple' : undefined}
      options={options}
      showSearch
      optionFilterProp="name"
      optionLabelProp="name"
      allowClear={allowClear}
      loading={!names}
      placeholder={names ? placeholder : '机构加载中…'}
      style={{ width: 360 }}
      virtual={false}
    />
  );
}
