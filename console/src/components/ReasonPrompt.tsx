import { Input, Typography, type App } from 'antd';
import { useState, type ReactNode } from 'react';

type Modal = ReturnType<typeof App.useApp>['modal'];

/** A reason box that says under itself, in words, when a required reason is missing. */
export function ReasonField({
  value,
  onChange,
  placeholder,
  missing,
  maxLength,
}: {
  value: string;
  onChange: (reason: string) => void;
  placeholder: string;
  missing: boolean;
  maxLength?: number;
}) {
  const shown = missing && !value.trim();
  return (
    <>
      <Input.TextArea
        aria-label={placeholder}
        placeholder={placeholder}
        autoSize={{ minRows: 2, maxRows: 6 }}
        status={shown ? 'error' : undefined}
        maxLength={maxLength}
        showCount={maxLength !== undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {shown && (
        <Typography.Text type="danger" role="alert">
          请填写原因
        </Typography.Text>
      )}
    </>
  );
}

function PromptedReason({ placeholder, missing, onChange }: { placeholder: string; missing: boolean; onChange: (reason: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <ReasonField
      value={value}
      placeholder={placeholder}
      missing={missing}
      onChange={(v) => {
        setValue(v);
        onChange(v);
      }}
    />
  );
}

/**
 * A destructive or money-like action: confirmed, with a reason typed in (unless `optional`), before it
 * is sent. A missing reason is pointed out under the box and the dialog stays open.
 */
export function confirmWithReason(
  modal: Modal,
  options: {
    title: string;
    okText: string;
    placeholder: string;
    danger?: boolean;
    optional?: boolean;
    /** What is decided, shown above the reason. */
    detail?: ReactNode;
    run: (reason: string) => Promise<void>;
  },
) {
  let reason = '';
  const content = (missing: boolean) => (
    <>
      {options.detail}
      <PromptedReason placeholder={options.placeholder} missing={missing} onChange={(v) => (reason = v)} />
    </>
  );
  const dialog = modal.confirm({
    title: options.title,
    content: content(false),
    okText: options.okText,
    okButtonProps: { danger: options.danger },
    // Declaring the `close` argument tells Ant Design to keep the dialog open when nothing is returned
    // (a missing reason), and to close it when the returned promise settles; a rejected promise here
    // would only surface as an uncaught error.
    onOk: (_close: () => void) => {
      if (!options.optional && !reason.trim()) {
        dialog.update({ content: content(true) });
        return;
      }
      return options.run(reason.trim());
    },
  });
}
