import { Alert, App, Button, Card, Descriptions, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { call } from '@/api/client';
import { findBannedWords } from '@shared/banned-words';
import { bannedWords } from '@/api/review';
import { useSession } from '@/auth/session';
import { DiffTable, reviewDiff } from '@/components/Diff';
import { errorText, PageState } from '@/components/PageState';
import { ActivityStakesCard } from '@/components/Stakes';
import { ReasonField } from '@/components/ReasonPrompt';
import { pathLabel } from '@/forms/labels';
import { useDirectory } from '@/hooks/useDirectory';
import { useLoad } from '@/hooks/useLoad';
import { kindByKey, titleOf } from '@/kinds';

/** What changed since the approved revision, banned wording marked; approve or reject with a reason. */
export default function ReviewDetail() {
  const { kind: kindKey, id } = useParams();
  const kind = kindByKey(kindKey);
  const navigate = useNavigate();
  const { profile, can } = useSession();
  const { message } = App.useApp();
  const names = useDirectory();
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const loaded = useLoad(async () => {
    if (!kind || !id) throw new Error('unknown');
    const [doc, words] = await Promise.all([call(kind.operations.get, { params: { id } }), bannedWords()]);
    return { doc, words };
  }, [kind, id]);
  if (!kind) return null;
  const doc = loaded.data?.doc;
  const words = loaded.data?.words ?? [];
  const own = !!doc && (doc.authorId === profile?.id || doc.submittedBy === profile?.id);
  const pending = doc?.workingState === 'pending_review';
  const diff = doc ? reviewDiff(doc.live, doc.working) : [];
  // The same search the BFF makes at submission, over each changed value whatever its depth.
  const flagged = diff.flatMap((d) => findBannedWords(d.after, words, d.path));

  async function decide() {
    if (deciding === 'reject' && !reason.trim()) return setMissing(true);
    setBusy(true);
    try {
      const params = { id: id! };
      await (deciding === 'approve'
        ? call(kind!.operations.approve, { params, body: reason.trim() ? { reason: reason.trim() } : {} })
        : call(kind!.operations.reject, { params, body: { reason: reason.trim() } }));
      message.success(deciding === 'approve' ? '审核通过' : '已驳回，退回草稿');
      navigate('/review');
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageState loading={loaded.loading} error={loaded.error} onRetry={loaded.reload}>
      {doc && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            <Link to="/review">消保审核</Link> / {kind.label}：{titleOf(doc)}
          </Typography.Title>
          <Descriptions bordered size="small" column={3}>
            <Descriptions.Item label="编码">{doc.code}</Descriptions.Item>
            <Descriptions.Item label="机构">{names?.orgName(doc.orgUnitId) ?? ''}</Descriptions.Item>
            <Descriptions.Item label="变更">{doc.liveRevision === null ? '新建' : `修改线上 v${doc.liveRevision} → v${doc.workingRevision}`}</Descriptions.Item>
            <Descriptions.Item label="作者">{doc.authorId && names?.staffName(doc.authorId)}</Descriptions.Item>
            <Descriptions.Item label="提交人">{doc.submittedBy && names?.staffName(doc.submittedBy)}</Descriptions.Item>
            <Descriptions.Item label="状态">{pending ? <Tag color="orange">待审核</Tag> : <Tag>无待审修改</Tag>}</Descriptions.Item>
          </Descriptions>
          {flagged.length > 0 && (
            <Alert type="error" showIcon message={`发现禁用词：${flagged.map((f) => pathLabel(f.path)).join('、')}`} description="已在下方标红，请确认文案合规后再审核。" />
          )}
          {kind.key === 'activities' && <ActivityStakesCard live={doc.live} working={doc.working} />}
          <Card title={doc.liveRevision === null ? '全部内容（新建）' : '与已通过版本的差异'} size="small">
            <DiffTable items={diff} words={words} orgName={names?.orgName} />
          </Card>
          {pending && own && <Alert type="warning" showIcon message="这是您本人编写或提交的修改，须由另一位审核员审核。" />}
          {pending && !own && can('review.decide') && (
            <Space>
              <Button type="primary" onClick={() => setDeciding('approve')}>
                审核通过
              </Button>
              <Button danger onClick={() => setDeciding('reject')}>
                驳回
              </Button>
            </Space>
          )}
          {pending && !own && !can('review.decide') && <Alert type="info" showIcon message="审核由审核员完成。" />}
          <Modal
            open={deciding !== null}
            title={deciding === 'approve' ? '确认审核通过？通过后将按计划时间上线' : '驳回并退回草稿'}
            okText={deciding === 'approve' ? '确认通过' : '确认驳回'}
            okButtonProps={{ danger: deciding === 'reject', loading: busy }}
            onOk={() => void decide()}
            onCancel={() => setDeciding(null)}
          >
            <ReasonField
              value={reason}
              onChange={setReason}
              placeholder={deciding === 'approve' ? '审核意见（选填）' : '驳回原因（必填，作者可见）'}
              missing={deciding === 'reject' && missing}
              maxLength={500}
            />
          </Modal>
        </Space>
      )}
    </PageState>
  );
}
