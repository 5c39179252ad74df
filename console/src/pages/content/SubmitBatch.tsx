import { Alert, Button, Progress, Space } from 'antd';
import { useState } from 'react';
import type { BulkUploadResult } from '@shared/contracts/review';
import { call } from '@/api/client';
import { errorText } from '@/components/PageState';
import type { ReviewedKind } from '@/kinds';

/** Submissions sent at once: a batch goes up quickly without taking every connection the console has. */
const AT_ONCE = 3;

/**
 * 全部提交审核 for the documents an upload just created or changed: each submitted as one would be from its page
 * (banned wording and rules checked per document), the ones refused listed with the reason.
 */
export function SubmitBatch({ kind, saved }: { kind: ReviewedKind; saved: BulkUploadResult }) {
  const batch = saved.rows.filter((r): r is typeof r & { id: string } => r.action !== 'unchanged' && r.id !== null);
  const [done, setDone] = useState(0);
  const [running, setRunning] = useState(false);
  const [refused, setRefused] = useState<{ code: string; reason: string }[] | null>(null);

  async function submitAll() {
    setRunning(true);
    setDone(0);
    const failures: { code: string; reason: string }[] = [];
    const queue = [...batch];
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          await call(kind.operations.submit, { params: { id: row.id } }).catch((err: unknown) => failures.push({ code: row!.code, reason: errorText(err) }));
          setDone((n) => n + 1);
        }
      }),
    );
    setRefused(failures);
    setRunning(false);
  }

  if (batch.length === 0) return null;
  if (refused)
    return (
      <Alert
        type={refused.length ? 'warning' : 'success'}
        showIcon
        message={`已提交消保审核 ${batch.length - refused.length} 条${refused.length ? `，${refused.length} 条未提交` : ''}`}
        description={refused.map((r) => (
          <div key={r.code}>
            {r.code}：{r.reason}
          </div>
        ))}
      />
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {running && <Progress percent={Math.round((done / batch.length) * 100)} format={() => `${done} / ${batch.length}`} />}
      <Button type="primary" loading={running} onClick={() => void submitAll()}>
        全部提交审核（{batch.length} 条）
      </Button>
    </Space>
  );
}
