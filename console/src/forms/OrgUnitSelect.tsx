import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useDirectory } from '@/hooks/useDirectory';

type Node = { value: string; title: string; children: Node[] };

/** A document's 所属机构, chosen from the caller's own unit and those below it, as the bank's tree. */
export function OrgUnitSelect({ value, onChange, id, disabled }: { value?: string; onChange?: (v: string) => void; id?: string; disabled?: boolean }) {
  const names = useDirectory();
  const tree = useMemo(() => {
    const units = names?.orgUnits ?? [];
    const nodes = new Map(units.map((u) => [u.id, { value: u.id, title: u.name, children: [] as Node[] }]));
    const roots: Node[] = [];
    for (const u of units) (u.parentId && nodes.has(u.parentId) ? nodes.get(u.parentId)!.children : roots).push(nodes.get(u.id)!);
    return roots;
  }, [names]);
  return (
    <TreeSelect
      id={id}
      value={names ? value : undefined}
      onChange={onChange}
      disabled={disabled}
      treeData={tree}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      loading={!names}
      placeholder={names ? '选择机构' : '机构加载中…'}
      style={{ width: 360 }}
    />
  );
}
