import type { App } from 'antd';

type Modal = ReturnType<typeof App.useApp>['modal'];

/** A destructive or money-like action: confirmed, with a reason typed in, before it is sent. */
export function confirmWithReason(modal: Modal, options: { title: string; okText: string; placeholder: string; danger?: boolean; run: (reason: string) => Promise<void> }) {
  let reason = '';
  modal.confirm({
    title: options.title,
    content: <textarea aria-label={options.placeholder} placeholder={options.placeholder} style={{ width: '100%', minHeight: 64 }} onChange={(e) => (reason = e.target.value)} />,
    okText: options.okText,
    okButtonProps: { danger: options.danger },
    onOk: () => (reason.trim() ? options.run(reason.trim()) : Promise.reject(new Error('请填写原因'))),
  });
}
