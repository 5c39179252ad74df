import { Modal } from 'antd';
import { useCallback, useEffect, type RefObject } from 'react';
import { useBlocker, type BlockerFunction } from 'react-router-dom';

/**
 * Asks before leaving a page whose form holds unsaved edits: in-app navigation gets a dialog, closing
 * or reloading the tab the browser's own prompt. `dirty` is a ref so that a save which clears it can
 * navigate in the same tick without being stopped by a blocker still holding the older value.
 */
export function LeaveGuard({ dirty }: { dirty: RefObject<boolean> }) {
  const shouldBlock = useCallback<BlockerFunction>(({ currentLocation, nextLocation }) => !!dirty.current && currentLocation.pathname !== nextLocation.pathname, [dirty]);
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (!dirty.current) return;
      e.preventDefault();
      // Chromium still shows its prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return (
    <Modal
      open={blocker.state === 'blocked'}
      title="离开此页？"
      okText="放弃修改并离开"
      cancelText="留在此页"
      okButtonProps={{ danger: true }}
      onOk={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      本页有未保存的修改，离开后这些修改将丢失。
    </Modal>
  );
}
