import { Alert, App, Button, Descriptions, Input, Space, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { CouponCode } from '@shared/contracts/mall';
import { errorText } from './PageState';

/** What one request may carry (CodeUpload in shared/contracts/mall.ts). */
const PER_REQUEST = 10_000;

type Parsed = { codes: string[]; repeated: number; invalid: { line: number; text: string; message: string }[] };

/** The codes of a CSV or TXT file, one a line (a CSV's first column); a first line that is not a code is taken for a header. */
export function parseCodes(text: string): Parsed {
  const lines = text.split(/\r?\n/).map((line, i) => ({
    line: i + 1,
    text: line
      .split(',')[0]
      .trim()
      .replace(/^"(.*)"$/, '$1'),
  }));
  const seen = new Set<string>();
  const parsed: Parsed = { codes: [], repeated: 0, invalid: [] };
  for (const { line, text: code } of lines) {
    if (!code) continue;
    const checked = CouponCode.safeParse(code);
    if (!checked.success) {
      if (line === 1 && /[^!-~]|^(code|券码)/i.test(code)) continue; // a header
      parsed.invalid.push({ line, text: code, message: checked.error.issues[0].message });
    } else if (seen.has(code)) parsed.repeated += 1;
    else {
      seen.add(code);
      parsed.codes.push(code);
    }
  }
  return parsed;
}

/**
 * Codes from a file (or pasted), checked here line by line before anything is sent, with the count set against
 * what they must cover (the stock still to sell, or a prize's quantity); sent only when every line is a code.
 */
export function CodeFileUpload({
  needed,
  available,
  neededLabel,
  upload,
}: {
  /** How many codes the pool must hold unassigned. */
  needed: number;
  /** Codes in the pool not yet given out. */
  available: number;
  neededLabel: string;
  upload: (codes: string[]) => Promise<{ accepted: number; duplicates: number; poolSize: number; assigned: number }>;
}) {
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = useMemo(() => parseCodes(text), [text]);
  const after = available + parsed.codes.length;

  async function send() {
    setBusy(true);
    try {
      let accepted = 0;
      let duplicates = 0;
      for (let i = 0; i < parsed.codes.length; i += PER_REQUEST) {
        const r = await upload(parsed.codes.slice(i, i + PER_REQUEST));
        accepted += r.accepted;
        duplicates += r.duplicates;
      }
      message.success(`已上传：新增 ${accepted} 个券码${duplicates ? `，${duplicates} 个已在券码池中` : ''}`);
      setText('');
      setFileName(null);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {available < needed && (
        <Alert type="warning" showIcon message={`可用券码 ${available} 个，少于${neededLabel} ${needed}：超出的 ${needed - available} 份兑换时将没有券码，请补充券码`} />
      )}
      <Space>
        <Upload
          accept=".csv,.txt,text/csv,text/plain"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((content) => {
              setFileName(file.name);
              setText(content);
            });
            return false;
          }}
        >
          <Button>选择券码文件（CSV 或 TXT）</Button>
        </Upload>
        <Typography.Text type="secondary">每行一个券码；CSV 取第一列，首行可为表头</Typography.Text>
      </Space>
      <Input.TextArea
        rows={4}
        placeholder="或直接粘贴券码，每行一个"
        value={text}
        onChange={(e) => {
          setFileName(null);
          setText(e.target.value);
        }}
        aria-label="券码"
      />
      {text.trim() && (
        <Descriptions size="small" bordered column={4} data-testid="code-check">
          <Descriptions.Item label="来源">{fileName ?? '粘贴'}</Descriptions.Item>
          <Descriptions.Item label="有效券码">{parsed.codes.length}</Descriptions.Item>
          <Descriptions.Item label="文件内重复">{parsed.repeated}</Descriptions.Item>
          <Descriptions.Item label="上传后可用">
            {after} / {neededLabel} {needed}
          </Descriptions.Item>
        </Descriptions>
      )}
      {parsed.invalid.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={`${parsed.invalid.length} 行不是有效券码，请修正后再上传（未上传任何券码）`}
          description={parsed.invalid.slice(0, 5).map((r) => (
            <div key={r.line}>
              第 {r.line} 行「{r.text}」：{r.message}
            </div>
          ))}
        />
      )}
      <Button type="primary" loading={busy} disabled={!parsed.codes.length || parsed.invalid.length > 0} onClick={() => void send()}>
        {parsed.codes.length ? `上传 ${parsed.codes.length} 个券码` : '上传券码'}
      </Button>
    </Space>
  );
}
