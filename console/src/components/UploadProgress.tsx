import { Progress } from 'antd';

/**
 * An upload's real progress: the share of the file sent, then what the BFF is doing with it.
 * No percentage is made up for the server's part, which reports none.
 */
export function UploadProgress({ sent, working, done = false }: { sent: number; working: string; done?: boolean }) {
  const percent = Math.round(sent * 100);
  const text = done ? '完成' : sent < 1 ? `上传 ${percent}%` : working;
  return <Progress percent={done ? 100 : percent} status={done ? 'success' : 'active'} format={() => text} aria-label={text} />;
}
