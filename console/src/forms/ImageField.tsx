import { Alert, Button, Image, Input, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { UPLOAD_LIMITS } from '@shared/contracts/media';
import { call } from '@/api/client';
import { errorText } from '@/components/PageState';

/** Where the browser finds a picture a document names: one of the BFF's own under the API, or the bank's https address. */
const previewUrl = (ref: string) => (ref.startsWith('/media/') ? `/api/v1${ref}` : ref);

const base64Of = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/**
 * A document's picture: uploaded from the computer (checked here for type and size, then by the BFF, which
 * stores it and gives its address) or an https address of the bank's CDN; shown as it will look.
 */
export function ImageField({ value, onChange, id, disabled }: { value?: string; onChange?: (v: string | undefined) => void; id?: string; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);

  async function upload(file: File) {
    setProblem(null);
    if (!(UPLOAD_LIMITS.types as readonly string[]).includes(file.type)) return setProblem(`「${file.name}」不是 PNG、JPG 或 WebP 图片，请换一张`);
    if (file.size > UPLOAD_LIMITS.maxBytes) return setProblem(`「${file.name}」为 ${(file.size / 1024 / 1024).toFixed(1)} MB，须不超过 1 MB，请压缩后再上传`);
    setBusy(true);
    try {
      const stored = await call('uploadMedia', { body: { fileName: file.name, contentBase64: await base64Of(file) } });
      setBroken(false);
      onChange?.(stored.ref);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space align="start" wrap>
        {value && !broken ? (
          <Image
            src={previewUrl(value)}
            alt="图片预览"
            width={120}
            height={90}
            style={{ objectFit: 'cover', borderRadius: 4, border: '1px solid #f0f0f0' }}
            onError={() => setBroken(true)}
          />
        ) : (
          <div style={{ width: 120, height: 90, border: '1px dashed #d9d9d9', borderRadius: 4, display: 'grid', placeItems: 'center', color: '#595959', fontSize: 12 }}>
            {value ? '图片无法显示' : '未设置图片'}
          </div>
        )}
        <Space direction="vertical">
          <Upload accept={UPLOAD_LIMITS.types.join(',')} showUploadList={false} disabled={disabled} beforeUpload={(file) => (void upload(file), false)}>
            <Button loading={busy} disabled={disabled}>
              {value ? '更换图片' : '上传图片'}
            </Button>
          </Upload>
          {value && !disabled && (
            <Button type="link" danger style={{ padding: 0 }} onClick={() => onChange?.(undefined)}>
              移除图片
            </Button>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            PNG、JPG 或 WebP，不超过 1 MB
          </Typography.Text>
        </Space>
      </Space>
      <Input
        id={id}
        disabled={disabled}
        value={value}
        placeholder="或填写银行图片服务器的 https 地址"
        onChange={(e) => {
          setBroken(false);
          onChange?.(e.target.value || undefined);
        }}
        allowClear
      />
      {problem && <Alert type="error" showIcon message={problem} />}
    </Space>
  );
}
