import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import { createRoot } from 'react-dom/client';
import { createHashRouter, RouterProvider } from 'react-router-dom';
import { App } from './App';
import { SessionProvider } from './auth/session';

/** Where the keyboard is, in a blue of its own: the brand red already means errors and danger, and a red box reads as a mistake. */
const FOCUS = '#1677ff';
const FOCUS_SHADOW = '0 0 0 2px rgba(22, 119, 255, 0.2)';
const focused = { activeBorderColor: FOCUS, hoverBorderColor: '#4096ff', activeShadow: FOCUS_SHADOW };
/** Someone who asked their system for less motion gets dialogs and menus that open and close at once. */
const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const THEME = {
  token: { colorPrimary: '#c8102e', borderRadius: 6, controlOutline: 'rgba(22, 119, 255, 0.2)', motion: !REDUCED_MOTION },
  components: {
    Input: focused,
    InputNumber: focused,
    DatePicker: focused,
    Select: { activeBorderColor: FOCUS, hoverBorderColor: '#4096ff', activeOutlineColor: 'rgba(22, 119, 255, 0.2)' },
  },
};

// A data router: pages with unsaved edits can ask before the user leaves them (useBlocker).
const router = createHashRouter([{ path: '*', element: <App /> }]);

createRoot(document.getElementById('root')!).render(
  <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={THEME}>
    <AntApp>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </AntApp>
  </ConfigProvider>,
);
