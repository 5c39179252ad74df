import { Select } from 'antd';
import { useMemo } from 'react';
import { staffRoleNamesZh, type StaffRole } from '@shared/roles';
import { useDirectory } from '@/hooks/useDirectory';

/** A member of staff of the caller's subtree (a relationship manager, by default), chosen by their masked name and unit, never typed as an id. */
export function StaffSelect({
  value,
  onChange,
  id,
  role = 'rm',
  allowClear,
  placeholder = `选择${staffRoleNamesZh.rm}`,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  role?: StaffRole;
  allowClear?: boolean;
  placeholder?: string;
}) {
  const names = useDirectory();
  const options = useMemo(
    () =>
      (names?.staff ?? [])
        .filter((s) => s.role === role)
        .map((s) => ({ value: s.id, label: `${s.maskedName} · ${names!.orgName(s.orgUnitId)}`, name: `${s.maskedName} ${names!.orgName(s.orgUnitId)}` })),
    [names, role],
  );
  return (
    <Select
      id={id}
      value={names ? value : undefined}
      onChange={onChange}
      options={options}
      showSearch
      optionFilterProp="name"
      allowClear={allowClear}
      loading={!names}
      placeholder={names ? placeholder : '员工加载中…'}
      style={{ width: 360 }}
      virtual={false}
    />
  );
}
