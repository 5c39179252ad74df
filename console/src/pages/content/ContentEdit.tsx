import { Alert, App, Button, Descriptions, Form, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, call, type FieldIssue } from '@/api/client';
import { historyOf } from '@/api/review';
import { useSession } from '@/auth/session';
import { DiffTable } from '@/components/Diff';
import { errorText, PageState } from '@/components/PageState';
import { LeaveGuard } from '@/components/LeaveGuard';
import { confirmWithReason } from '@/components/ReasonPrompt';
import { jsonSchemaOf, prune } from '@/forms/json-schema';
import { describeIssues } from '@/forms/messages';
import { SCHEMAS } from '@/forms/schemas';
import { pathLabel } from '@/forms/labels';
import { SchemaFields } from '@/forms/SchemaForm';
import { useLoad } from '@/hooks/useLoad';
import { reviewActionNamesZh, reviewStateNamesZh } from '@shared/contracts/review';
import { staffRoleNamesZh, type StaffRole } from '@shared/roles';
import { kindByKey, titleOf, type AdminDoc, type ReviewedKind } from '@/kinds';
import { beijingTime } from '@/format';
import { STATE_COLORS } from './names';
import { DrawOperations } from './DrawOperations';
import { liveFiguresOf } from './LiveFigures';
import { useDirectory } from '@/hooks/useDirectory';
import { answerInWords } from '@/forms/choices';

function History({ kind, id, current }: { kind: ReviewedKind; id: string; current: unknown }) {
  const history = useLoad(() => historyOf(kind, id), [kind, id]);
  const names = useDirectory();
  return (
    <PageState loading={history.loading} error={history.error} empty={history.data?.length === 0} onRetry={history.reload}>
      <Timeline
        items={[...(history.data ?? [])].reverse().map((e) => ({
          key: e.seq,
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text strong>
                {reviewActionNamesZh[e.action]}
                {e.revision !== null ? ` · v${e.revision}` : ''}
              </Typography.Text>
              <Typography.Text type="secondary">
                {beijingTime(e.at)} · {names?.staffName(e.actorId) ?? ''}（{staffRoleNamesZh[e.actorRole as StaffRole] ?? e.actorRole}）{e.reason ? ` · 原因：${e.reason}` : ''}
              </Typography.Text>
              {e.diff.length > 0 && (
                <DiffTable
                  items={e.diff.map((d) => ({ ...d, before: answerInWords(current, d.path, d.before), after: answerInWords(current, d.path, d.after) }))}
                  orgName={names?.orgName}
                />
              )}
            </Space>
          ),
        }))}
      />
    </PageState>
  );
}

/** Field problems onto their fields, and all of them in one list above the form. */
function useFieldIssues() {
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const show = (form: ReturnType<typeof Form.useForm>[0], found: FieldIssue[]) => {
    const clean = found.map((i) => ({ ...i, path: i.path.replace(/^body\.?/, '') }));
    setIssues(clean);
    form.setFields(clean.filter((i) => i.path).map((i) => ({ name: i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [i.message] })));
  };
  return { issues, show };
}

/** Fixed once a document exists (code, type); a live draw also keeps what it published. */
const LOCKED = new Set(['code', 'type']);
const DRAW_LOCKED = new Set([...LOCKED, 'settings', 'rules']);

export default function ContentEdit() {
  const { kind: kindKey, id } = useParams();
  const kind = kindByKey(kindKey);
  const doc = useLoad((): Promise<AdminDoc | null> => (id && kind ? call(kind.operations.get, { params: { id } }) : Promise.resolve(null)), [kind, id]);
  if (!kind) return null;
  const current = doc.data;
  return (
    <PageState loading={doc.loading} error={doc.error} onRetry={doc.reload}>
      {/* A new editor, form store included, for each document and each revision the server returns:
          nothing typed into one document can reach another, and after a save or submit the form
          shows what the server kept. */}
      <Editor
        key={current ? `${kind.key}:${current.id}:${current.workingRevision}:${current.liveRevision}:${current.workingState}:${current.state}` : `${kind.key}:new`}
        kind={kind}
        current={current}
        reload={doc.reload}
      />
    </PageState>
  );
}

function Editor({ kind, current, reload }: { kind: ReviewedKind; current: AdminDoc | null; reload: () => void }) {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { profile, can } = useSession();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const dirtyRef = useRef(false);
  const markDirty = (value: boolean) => {
    dirtyRef.current = value;
    setDirty(value);
  };
  const { issues, show } = useFieldIssues();
  const zodSchema = SCHEMAS[kind.key];
  const schema = useMemo(() => jsonSchemaOf(zodSchema), [zodSchema]);
  const editable = can('content.edit') && current?.workingState !== 'pending_review' && current?.state !== 'withdrawn';
  const drawLocked = kind.key === 'activities' && (current?.live as { type?: string } | null | undefined)?.type === 'draw';

  /** Checks the form and saves it as the working draft; the caller reloads or moves on. */
  async function persist(): Promise<AdminDoc | null> {
    const values = prune(schema, form.getFieldsValue(true));
    const parsed = zodSchema.safeParse(values);
    if (!parsed.success) {
      show(form, describeIssues(schema!, values, parsed.error.issues));
      return null;
    }
    show(form, []);
    try {
      // The form's values are those of the kind's own schema, checked above; TypeScript cannot tie a kind chosen at run time to its input type.
      const body = values as never;
      const saved: AdminDoc = current ? await call(kind.operations.update, { params: { id: current.id }, body }) : await call(kind.operations.create, { body });
      markDirty(false);
      return saved;
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) show(form, err.issues);
      else message.error(errorText(err));
      return null;
    }
  }

  async function save() {
    setBusy(true);
    const saved = await persist();
    setBusy(false);
    if (!saved) return;
    message.success('已保存为草稿');
    if (!current) navigate(`/content/${kind.key}/${saved.id}`, { replace: true });
    else reload();
  }

  async function act(run: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await run();
      message.success(done);
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) show(form, err.issues);
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  // What the screen shows is what goes to review: unsaved edits are saved first, and a save that fails stops the submission.
  async function submit() {
    const unsaved = dirtyRef.current;
    if (unsaved) {
      setBusy(true);
      const saved = await persist();
      setBusy(false);
      if (!saved) return;
    }
    await act(() => call(kind.operations.submit, { params: { id: current!.id } }), unsaved ? '已保存修改，已提交消保审核' : '已提交消保审核');
  }

  const withdraw = () =>
    confirmWithReason(modal, {
      title: `确认下线该${kind.label}？客户将不再看到它`,
      okText: '确认下线',
      danger: true,
      placeholder: '下线原因（必填，将记入操作留痕）',
      run: (reason) => act(() => call(kind.operations.withdraw, { params: { id: current!.id }, body: { reason } }), '已下线'),
    });

  const canSubmit = can('content.edit') && current && (current.workingState === 'draft' || current.workingState === 'rejected');
  // What a live document's operation shows beyond its content: a trigger's, a livestream's or an invite's figures.
  const figures = current && current.liveRevision !== null ? liveFiguresOf(kind.key, current) : null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <LeaveGuard dirty={dirtyRef} />
      {/* Long forms (a draw's prizes) keep their actions in reach. */}
      <Space
        style={{ justifyContent: 'space-between', width: '100%', position: 'sticky', top: 0, zIndex: 10, padding: '12px 0', background: '#f5f5f5' }}
        wrap
        data-testid="form-actions"
      >
        <Typography.Title level={4} style={{ margin: 0 }}>
          <Link to={`/content/${kind.key}`}>{kind.label}管理</Link> / {current ? titleOf(current) : `新建${kind.label}`}
        </Typography.Title>
        <Space wrap>
          {dirty && <Tag color="orange">有未保存的修改</Tag>}
          {kind.key === 'activities' && current?.liveRevision !== null && current && <Button onClick={() => navigate(`/results/${current.id}`)}>查看效果</Button>}
          {editable && (
            <Button loading={busy} onClick={() => void save()}>
              保存草稿
            </Button>
          )}
          {canSubmit && (
            <Button type="primary" loading={busy} onClick={() => void submit()} title={dirty ? '将先保存未保存的修改，再提交审核' : undefined}>
              提交审核
            </Button>
          )}
          {can('content.edit') && current && current.liveRevision !== null && current.state !== 'withdrawn' && (
            <Button danger onClick={withdraw}>
              下线
            </Button>
          )}
        </Space>
      </Space>
      {current && (
        <Descriptions size="small" bordered column={4}>
          <Descriptions.Item label="编码">{current.code}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <Tag color={STATE_COLORS[current.state]}>{reviewStateNamesZh[current.state]}</Tag>
            {current.workingState === 'pending_review' && current.state !== 'pending_review' && <Tag color="orange">修改待审</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label="线上版本">{current.liveRevision === null ? '—' : `v${current.liveRevision}`}</Descriptions.Item>
          <Descriptions.Item label="工作版本">{current.workingRevision === null ? '—' : `v${current.workingRevision}`}</Descriptions.Item>
        </Descriptions>
      )}
      {current?.rejectionReason && <Alert type="warning" showIcon message={`审核驳回：${current.rejectionReason}`} description="修改后可再次提交审核。" />}
      {current?.workingState === 'pending_review' && <Alert type="info" showIcon message="审核中：审核完成前不能修改。" />}
      {editable && drawLocked && (
        <Alert
          type="info"
          showIcon
          message="奖品、概率与活动规则已锁定"
          description="抽奖活动上线后，按有奖销售规定不得变更奖品、概率和规则；其余内容仍可修改。如需调整奖品，请下线后新建活动。"
        />
      )}
      {issues.length > 0 && (
        <Alert
          type="error"
          showIcon
          message="请修正以下问题"
          description={
            <ul style={{ margin: 0 }}>
              {issues.map((i, n) => (
                <li key={n}>
                  {i.path ? `${pathLabel(i.path)}：` : ''}
                  {i.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Tabs
        defaultActiveKey={search.get('tab') ?? 'content'}
        items={[
          {
            key: 'content',
            label: '内容',
            children: (
              <Form
                form={form}
                layout="vertical"
                disabled={!editable}
                initialValues={current ? ((current.working ?? current.live ?? {}) as Record<string, unknown>) : { orgUnitId: profile?.orgUnitId }}
                onValuesChange={() => markDirty(true)}
                style={{ maxWidth: 880 }}
              >
                <SchemaFields schema={schema} form={form} locked={current ? (drawLocked ? DRAW_LOCKED : LOCKED) : undefined} />
              </Form>
            ),
          },
          ...(current?.type === 'draw' && current.liveRevision !== null ? [{ key: 'prizes', label: '奖品与发货', children: <DrawOperations id={current.id} /> }] : []),
          ...(figures ? [{ key: 'figures', label: '运营数据', children: figures }] : []),
          ...(current ? [{ key: 'history', label: '版本记录', children: <History kind={kind} id={current.id} current={current.working ?? current.live} /> }] : []),
        ]}
      />
    </Space>
  );
}
