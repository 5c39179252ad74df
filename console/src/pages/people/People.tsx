import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Radio, Select, Space, Statistic, Switch, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import type { Api, ResponseOf } from '@shared/api';
import { customerSourceNamesZh } from '@shared/contracts/referrals';
import { STAFF_ROLES, staffRoleNamesZh, type StaffRole } from '@shared/roles';
import { call } from '@/api/client';
import type { Directory } from '@/api/directory';
import { useSession } from '@/auth/session';
import { errorText, PageState } from '@/components/PageState';
import { ReasonField } from '@/components/ReasonPrompt';
import { OrgUnitSelect } from '@/forms/OrgUnitSelect';
import { beijingTime } from '@/format';
import { useDirectory } from '@/hooks/useDirectory';
import { useLoad } from '@/hooks/useLoad';

type Staff = ResponseOf<Api['listStaff']>['items'][number];
type ManagedCustomer = ResponseOf<Api['listManagedCustomers']>['items'][number];
const roleOptions = STAFF_ROLES.map((r) => ({ value: r, label: staffRoleNamesZh[r] }));
/** A change waiting for a second person, as the BFF answers it (202), told apart from one applied at once. */
const isRequest = (r: object): r is { status: string } => 'status' in r;

/** 新建账号: a request a second head-office admin approves before the account exists. */
function NewStaff({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ username: string; name: string; password: string; role: StaffRole; orgUnitId: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open centered title="申请开通员工账号" okText="提交申请" confirmLoading={busy} onCancel={onClose} onOk={() => form.submit()}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message="账号须由另一位总行管理员审批后才能登录。" />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          try {
            await call('createStaff', { body: v });
            message.success('已提交，待另一位总行管理员审批');
            onClose();
          } catch (err) {
            message.error(errorText(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item
          name="username"
          label="登录账号"
          extra="3-32 位小写字母、数字或 _.-，如 zhang.min"
          rules={[{ required: true, pattern: /^[a-z0-9_.-]{3,32}$/, message: '登录账号为 3-32 位小写字母、数字或 _.-' }]}
        >
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="password" label="初始密码" extra="至少 10 位；请通过安全渠道告知本人" rules={[{ required: true, min: 10, message: '密码至少 10 位' }]}>
          <Input.Password maxLength={128} autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={roleOptions} placeholder="选择角色" />
        </Form.Item>
        <Form.Item name="orgUnitId" label="所属机构" rules={[{ required: true, message: '请选择机构' }]}>
          <OrgUnitSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 调整: a role or unit change, or re-enabling, waits for a second admin; disabling applies at once. */
function ChangeStaff({ member, names, onClose }: { member: Staff; names: Directory | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [role, setRole] = useState<StaffRole>(member.role);
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>(member.orgUnitId);
  const [disabled, setDisabled] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  async function save() {
    if (!reason.trim()) return setMissing(true);
    const body = {
      ...(role !== member.role ? { role } : {}),
      ...(orgUnitId && orgUnitId !== member.orgUnitId ? { orgUnitId } : {}),
      ...(disabled ? { disabled: true } : {}),
      reason: reason.trim(),
    };
    setBusy(true);
    try {
      const r = await call('updateStaff', { params: { id: member.id }, body });
      message.success(isRequest(r) ? '已提交，待另一位总行管理员审批' : '已停用');
      onClose();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open centered title={`调整账号：${member.maskedName}（${member.username}）`} okText="确认" confirmLoading={busy} onCancel={onClose} onOk={() => void save()}>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="现在">
          {staffRoleNamesZh[member.role]} · {names?.orgName(member.orgUnitId) ?? ''}
        </Descriptions.Item>
      </Descriptions>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          <Typography.Text>角色</Typography.Text>
          <Select value={role} onChange={setRole} options={roleOptions} style={{ width: 160 }} aria-label="角色" />
        </Space>
        <Space>
          <Typography.Text>机构</Typography.Text>
          <OrgUnitSelect value={orgUnitId} onChange={setOrgUnitId} />
        </Space>
        <Space>
          <Switch checked={disabled} onChange={setDisabled} aria-label="停用账号" />
          <Typography.Text>停用账号（立即生效）</Typography.Text>
        </Space>
        <Typography.Text type="secondary">角色或机构的变更须另一位总行管理员审批后生效。</Typography.Text>
        <ReasonField value={reason} onChange={setReason} placeholder="调整原因（必填，记入操作留痕）" missing={missing} maxLength={500} />
      </Space>
    </Modal>
  );
}

function StaffAccounts() {
  const names = useDirectory();
  const staff = useLoad(() => call('listStaff').then((r) => r.items), []);
  const [creating, setCreating] = useState(false);
  const [changing, setChanging] = useState<Staff | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" onClick={() => setCreating(true)} style={{ alignSelf: 'flex-start' }}>
        申请开通账号
      </Button>
      <PageState loading={staff.loading} error={staff.error} onRetry={staff.reload}>
        <Table<Staff>
          rowKey="id"
          size="small"
          dataSource={staff.data ?? []}
          pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 人` }}
          columns={[
            { title: '姓名', dataIndex: 'maskedName' },
            { title: '登录账号', dataIndex: 'username' },
            {
              title: '角色',
              dataIndex: 'role',
              render: (r: StaffRole) => staffRoleNamesZh[r],
              filters: roleOptions.map((o) => ({ text: o.label, value: o.value })),
              onFilter: (v, m) => m.role === v,
            },
            { title: '机构', dataIndex: 'orgUnitId', render: (id: string) => names?.orgName(id) ?? '' },
            {
              title: '操作',
              render: (_, m) => (
                <Button size="small" onClick={() => setChanging(m)}>
                  调整
                </Button>
              ),
            },
          ]}
        />
      </PageState>
      {creating && <NewStaff onClose={() => setCreating(false)} />}
      {changing && (
        <ChangeStaff
          member={changing}
          names={names}
          onClose={() => {
            setChanging(null);
            staff.reload();
          }}
        />
      )}
    </Space>
  );
}

/** 离职继承: the leaving manager's customers, all or those ticked, to another manager; a reviewer approves it. */
function Handover({ from, picked, count, names, onClose }: { from: string; picked: string[]; count: number; names: Directory; onClose: () => void }) {
  const { message } = App.useApp();
  const managers = names.staff.filter((m) => m.role === 'rm' && m.id !== from);
  const [to, setTo] = useState<string>();
  const [scope, setScope] = useState<'all' | 'picked'>(picked.length ? 'picked' : 'all');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  async function send() {
    if (!to) return message.error('请选择接手的客户经理');
    if (reason.trim().length < 2) return setMissing(true);
    setBusy(true);
    try {
      await call('requestHandover', { body: { fromRmId: from, toRmId: to, reason: reason.trim(), ...(scope === 'picked' ? { customerIds: picked } : {}) } });
      message.success('已提交离职继承申请，待审核员审批');
      onClose();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open centered title={`离职继承：${names.staffName(from)} 的客户`} okText="提交申请" confirmLoading={busy} onCancel={onClose} onOk={() => void send()}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group value={scope} onChange={(e) => setScope(e.target.value as 'all' | 'picked')}>
          <Radio value="all">全部客户（{count} 位）</Radio>
          <Radio value="picked" disabled={!picked.length}>
            勾选的客户（{picked.length} 位）
          </Radio>
        </Radio.Group>
        <Select
          showSearch
          optionFilterProp="label"
          placeholder="接手的客户经理"
          aria-label="接手的客户经理"
          value={to}
          onChange={setTo}
          style={{ width: '100%' }}
          options={managers.map((m) => ({ value: m.id, label: `${m.maskedName}（${names.orgName(m.orgUnitId)}）` }))}
        />
        <ReasonField value={reason} onChange={setReason} placeholder="继承原因（必填，如 客户经理离职）" missing={missing} maxLength={200} />
        <Typography.Text type="secondary">提交后须审核员审批；审批通过后客户逐个移交，进度可在消保审核中查看。</Typography.Text>
      </Space>
    </Modal>
  );
}

function Managers() {
  const names = useDirectory();
  const { can } = useSession();
  const [rm, setRm] = useState<string>();
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const [picked, setPicked] = useState<string[]>([]);
  const [handingOver, setHandingOver] = useState(false);
  const figures = useLoad(() => (rm ? call('getManagerFigures', { params: { id: rm } }) : Promise.resolve(null)), [rm]);
  const customers = useLoad(() => (rm ? call('listManagedCustomers', { params: { id: rm }, query: { before: pages.at(-1), limit: 20 } }) : Promise.resolve(null)), [rm, pages]);
  const choose = (id: string) => {
    setRm(id);
    setPages([undefined]);
    setPicked([]);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        showSearch
        optionFilterProp="label"
        placeholder="选择客户经理"
        aria-label="客户经理"
        style={{ width: 360 }}
        value={rm}
        onChange={choose}
        options={(names?.staff ?? []).filter((m) => m.role === 'rm').map((m) => ({ value: m.id, label: `${m.maskedName}（${names!.orgName(m.orgUnitId)}）` }))}
      />
      {rm && (
        <PageState loading={figures.loading} error={figures.error} onRetry={figures.reload}>
          {figures.data && (
            <Card size="small">
              <Space size="large" wrap>
                <Statistic title="服务客户" value={figures.data.customers} suffix="位" />
                <Statistic title="本人带来" value={figures.data.broughtDirectly} suffix="位" />
                <Statistic title="经客户推荐" value={figures.data.broughtThroughCustomers} suffix="位" />
                <Statistic title="继承所得" value={figures.data.inherited} suffix="位" />
                {can('content.edit') && names && (
                  <Button danger disabled={!figures.data.customers} onClick={() => setHandingOver(true)}>
                    离职继承
                  </Button>
                )}
              </Space>
            </Card>
          )}
        </PageState>
      )}
      {rm && (
        <PageState loading={customers.loading && !customers.data} error={customers.error} onRetry={customers.reload}>
          <Table<ManagedCustomer>
            rowKey="customerId"
            size="small"
            loading={customers.loading}
            dataSource={customers.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: '该客户经理暂无客户' }}
            rowSelection={can('content.edit') ? { selectedRowKeys: picked, onChange: (keys) => setPicked(keys as string[]), preserveSelectedRowKeys: true } : undefined}
            columns={[
              { title: '客户', dataIndex: 'name' },
              { title: '手机号', dataIndex: 'phone', render: (p: string | null) => p ?? '未绑定' },
              { title: '成为其客户', dataIndex: 'since', render: beijingTime },
              { title: '来源', dataIndex: 'via', render: (v: ManagedCustomer['via']) => customerSourceNamesZh[v] },
              { title: '来自活动', dataIndex: 'activityTitle', render: (t: string | null) => t ?? '—' },
              { title: '推荐人', dataIndex: 'invitedBy', render: (t: string | null) => t ?? '—' },
              { title: '近期参与', dataIndex: 'joined', render: (j: string[]) => j.join('、') || '—' },
            ]}
          />
          <Space style={{ marginTop: 8 }}>
            <Button disabled={pages.length === 1} onClick={() => setPages((p) => p.slice(0, -1))}>
              上一页
            </Button>
            <Button disabled={!customers.data?.nextBefore} onClick={() => setPages((p) => [...p, customers.data!.nextBefore!])}>
              下一页
            </Button>
          </Space>
        </PageState>
      )}
      {handingOver && rm && names && figures.data && (
        <Handover
          from={rm}
          picked={picked}
          count={figures.data.customers}
          names={names}
          onClose={() => {
            setHandingOver(false);
            setPicked([]);
          }}
        />
      )}
    </Space>
  );
}

/** 机构与人员: staff accounts (admins) and each relationship manager's customers, with 离职继承. */
export default function People() {
  const { profile } = useSession();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        机构与人员
      </Typography.Title>
      <Tabs
        items={[
          { key: 'managers', label: '客户经理与客户', children: <Managers /> },
          ...(profile?.role === 'admin' ? [{ key: 'staff', label: '员工账号', children: <StaffAccounts /> }] : []),
        ]}
      />
    </Space>
  );
}
