import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { ensureSession } from './api/session';
import { acceptLaunchInvite } from './api/invites';
import { listenForPrivacyAuthorization } from './utils/privacy-authorization';
// Imported here, not from app.scss, so it is scaled with NutUI's own 375 design width.
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import './app.scss';

function App({ children }: PropsWithChildren) {
  // Silent login: the customer never sees a login screen inside WeChat.
  useLaunch((options) => {
    listenForPrivacyAuthorization();
    ensureSession()
      .then(() => acceptLaunchInvite(options ?? {}))
      .catch(() => undefined); // pages show their own error state if it failed
  });
  return children;
}

export default App;
