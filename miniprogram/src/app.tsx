import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { ensureSession } from './api/session';
import './app.scss';

function App({ children }: PropsWithChildren) {
  // Silent login: the customer never sees a login screen inside WeChat.
  useLaunch(() => {
    ensureSession().catch(() => undefined); // pages show their own error state if it failed
  });
  return children;
}

export default App;
