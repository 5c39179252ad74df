import { Alert, App, Button, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { QUESTION_CSV_NOTE } from '@shared/contracts/quiz-bank';
import type { BulkUploadResult } from '@shared/contracts/review';
import { ApiError, callReporting, type FieldIssue } from '@/api/client';
import { errorText } from '@/components/PageState';
import { UploadProgress } from '@/components/UploadProgress';
import { pathLabel } from '@/forms/labels';
import type { ReviewedKind } from '@/kinds';
import { SubmitBatch } from './SubmitBatch';

type Parsed = { name: string } & ({ format: 'json'; body: { items: unknown[] } } | { format: 'csv'; body: string });
type Preview = { result: BulkUploadResult | null; issues: FieldIssue[]; error: string | null };
type Phase = 'idle' | 'checking' | 'saving' | 'done';

/** A file as the bulk endpoints take it: JSON (an array or `{ items }`) or CSV text. */
function parseFile(name: string, text: string): Parsed {
  if (/\.csv$/i.test(name)) return { name, format: 'csv', body: text };
  const json = JSON.parse(text) as unknown;
  return { name, format: 'json', body: { items: Array.isArray(json) ? json : ((json as { items?: unknown[] }).items ?? []) } };
}

/** `items.3.title` → row 3 and its field. */
function byRow(issues: FieldIssue[]) {
  const rows = new Map<number, { field: string; message: string }[]>();
  const general: FieldIssue[] = [];
  for (const issue of issues) {
    const m = /^items\.(\d+)(?:\.(.*))?$/.exec(issue.path);
    if (!m) general.push(issue);
    else rows.set(Number(m[1]), [...(rows.get(Number(m[1])) ?? []), { field: m[2] ? pathLabel(m[2]) : '整行', message: issue.message }]);
  }
  return { rows: [...rows.entries()].sort((a, b) => a[0] - b[0]), general };
}

/**
 * Bulk upload in two steps: the BFF checks every row (a dry run, nothing saved) and the
 * preview lists each bad row with its field and reason; only a clean file can then be saved.
 */
export function BulkUpload({ kind, onClose }: { kind: ReviewedKind; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [file, setFile] = useState<Parsed | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [saved, setSaved] = useState<BulkUploadResult | null>(null);
  const [sent, setSent] = useState(0);

  const send = (parsed: Parsed, dryRun: boolean) => {
    setSent(0);
    const call = callReporting(setSent);
    const query = { dryRun: dryRun ? 'true' : 'false' } as const;
    return parsed.format === 'csv' ? call(kind.operations.bulkCsv, { query, body: parsed.body }) : call(kind.operations.bulk, { query, body: parsed.body });
  };

  async function check(parsed: Parsed) {
    setFile(parsed);
    setSaved(null);
    setPhase('checking');
    try {
      setPreview({ result: await send(parsed, true), issues: [], error: null });
    } catch (err) {
      const e = err as ApiError;
      setPreview({ result: null, issues: e.issues ?? [], error: e.issues?.length ? null : errorText(err) });
    } finally {
      setPhase('idle');
    }
  }

  async function save() {
    if (!file) return;
    setPhase('saving');
    try {
      const result = await send(file, false);
      setSaved(result);
      setPhase('done');
      message.success(`已保存：新建 ${result.created}，更新 ${result.updated}，未变 ${result.unchanged}`);
    } catch (err) {
      setPhase('idle');
      const e = err as ApiError;
      setPreview({ result: null, issues: e.issues ?? [], error: e.issues?.length ? null : errorText(err) });
    }
  }

  const grouped = preview ? byRow(preview.issues) : null;
  const clean = !!preview?.result && preview.issues.length === 0;
  const rowName = (i: number) => (file?.format === 'csv' ? `第 ${i + 1} 行（文件第 ${i + 2} 行）` : `第 ${i + 1} 行`);
  return (
    <Modal
      open
      width={880}
      title={`批量上传${kind.label}`}
      onCancel={() => onClose(saved !== null)}
      footer={
        <Space>
          <Button onClick={() => onClose(saved !== null)}>{saved ? '完成' : '取消'}</Button>
          {!saved && (
            <Button type="primary" disabled={!clean || phase !== 'idle'} loading={phase === 'saving'} onClick={() => void save()}>
              确认上传（{preview?.result?.rows.length ?? 0} 行）
            </Button>
          )}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">
          支持 JSON（数组或 {'{ "items": [...] }'}）与 CSV（UTF-8，首行为表头，列名为字段路径如
          schedule.startAt）。按编码幂等：相同内容重复上传不会改变任何数据；任一行有误则整批不保存。
        </Typography.Paragraph>
        {kind.key === 'questions' && (
          <Typography.Paragraph type="secondary" data-testid="csv-columns">
            题目 CSV 的列：{QUESTION_CSV_NOTE}。JSON 中每个选项写作 {'{ "id": "A", "text": "正确" }'}，answer 写正确选项的 id，如 ["A"]。
          </Typography.Paragraph>
        )}
        <Upload.Dragger
          accept=".json,.csv"
          maxCount={1}
          showUploadList={false}
          beforeUpload={async (f) => {
            try {
              await check(parseFile(f.name, await f.text()));
            } catch {
              setPreview({ result: null, issues: [], error: '文件无法解析：请确认是 UTF-8 编码的 JSON 或 CSV' });
            }
            return false;
          }}
        >
          <p>点击或拖入文件</p>
          {file && <p data-testid="bulk-file">{file.name}</p>}
        </Upload.Dragger>
        {phase !== 'idle' && <UploadProgress sent={sent} done={phase === 'done'} working={phase === 'checking' ? '逐行校验中…' : '保存中…'} />}
        {preview?.error && <Alert type="error" showIcon message={preview.error} />}
        {grouped && grouped.rows.length + grouped.general.length > 0 && (
          <>
            <Alert type="error" showIcon message={`发现 ${grouped.rows.length} 行有误，整批未保存。请修改文件后重新选择。`} />
            <Table
              size="small"
              rowKey={(r) => String(r[0])}
              pagination={false}
              dataSource={grouped.rows}
              aria-label="有误的行"
              columns={[
                { title: '行', render: (_, r) => rowName(r[0]) },
                {
                  title: '问题',
                  render: (_, r) =>
                    r[1].map((p, i) => (
                      <div key={i}>
                        <Tag color="red">{p.field}</Tag>
                        {p.message}
                      </div>
                    )),
                },
              ]}
            />
            {grouped.general.map((g, i) => (
              <Alert key={i} type="warning" message={`${pathLabel(g.path)}：${g.message}`} />
            ))}
          </>
        )}
        {clean && preview?.result && !saved && (
          <>
            <Alert type="success" showIcon message={`校验通过：将新建 ${preview.result.created}，更新 ${preview.result.updated}，${preview.result.unchanged} 行无变化。`} />
            <Table
              size="small"
              rowKey="index"
              pagination={{ pageSize: 10 }}
              dataSource={preview.result.rows}
              columns={[
                { title: '行', dataIndex: 'index', render: (i: number) => rowName(i) },
                { title: '编码', dataIndex: 'code' },
                {
                  title: '结果',
                  dataIndex: 'action',
                  render: (a: string) => (
                    <Tag color={a === 'create' ? 'green' : a === 'update' ? 'blue' : 'default'}>{a === 'create' ? '新建草稿' : a === 'update' ? '生成新版本' : '无变化'}</Tag>
                  ),
                },
              ]}
            />
          </>
        )}
        {saved && <Alert type="success" showIcon message={`已保存为草稿：新建 ${saved.created}，更新 ${saved.updated}。草稿须提交审核，审核通过后才会上线。`} />}
        {saved && <SubmitBatch kind={kind} saved={saved} />}
      </Space>
    </Modal>
  );
}
