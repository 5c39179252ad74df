import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import { createRoot } from 'react-dom/client';
import { createHashRouter, RouterProvider } from 'react-router-dom';
import { App } from './App';
import { SessionProvider } from './auth/session';

// A data router: pages with unsaved edits can ask before the user leaves them (useBlocker).
const router = createHashRouter([{ path: '*', element: <App /> }]);

createRoot(document.getElementById('root')!).render(
  <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#c8102e', borderRadius: 6 } }}>
    <AntApp>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </AntApp>
  </ConfigProvider>,
);
