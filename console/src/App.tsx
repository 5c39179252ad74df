import { Button, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { staffRoleNamesZh } from '@shared/roles';
import type { Permission } from './auth/permissions';
import { useSession } from './auth/session';
import { KINDS } from './kinds';
import { STEERING_PAGES } from './pages/steering/pages';
import { Login } from './pages/Login';
import { useDirectory } from './hooks/useDirectory';

// One chunk per section, loaded when it is first opened.
const ContentList = lazy(() => import('./pages/content/ContentList'));
const ContentEdit = lazy(() => import('./pages/content/ContentEdit'));
const ReviewQueue = lazy(() => import('./pages/review/ReviewQueue'));
const ReviewDetail = lazy(() => import('./pages/review/ReviewDetail'));
const Results = lazy(() => import('./pages/results/Results'));
const Mall = lazy(() => import('./pages/mall/Mall'));
const Customers = lazy(() => import('./pages/customers/Customers'));
const Operations = lazy(() => import('./pages/operations/Operations'));
const People = lazy(() => import('./pages/people/People'));

const kindsIn = (group: 'content' | 'steering') =>
  (KINDS as readonly { key: string; label: string; group: string }[]).filter((k) => k.group === group).map((k) => ({ key: `/content/${k.key}`, label: k.label }));
type MenuEntry = { key: string; label: string; permission: Permission; children?: { key: string; label: string }[] };
const MENU: MenuEntry[] = [
  { key: '/content', label: '内容管理', permission: 'content.view', children: kindsIn('content') },
  {
    key: '/steering',
    label: '经营管理',
    permission: 'steering.view',
    children: [...STEERING_PAGES.map((p) => ({ key: p.path, label: p.label })), ...kindsIn('steering')],
  },
  { key: '/review', label: '消保审核', permission: 'review.view' },
  { key: '/results', label: '活动效果', permission: 'results.view' },
  { key: '/customers', label: '客户服务', permission: 'customers.view' },
  { key: '/mall', label: '商城运营', permission: 'mall.view' },
  { key: '/people', label: '机构与人员', permission: 'people.view' },
  { key: '/operations', label: '运行监控', permission: 'ops.view' },
];

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

export function Forbidden() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403 无权访问"
      subTitle="您的角色或所在机构不能访问此页面。如需开通，请联系总行管理员。"
      extra={<Button onClick={() => navigate('/')}>返回首页</Button>}
    />
  );
}

/** The login page's address that brings the user back to where they are now once signed in again. */
const loginReturningTo = (location: { pathname: string; search: string }) => `/login?next=${encodeURIComponent(location.pathname + location.search)}`;

function Expired() {
  const location = useLocation();
  return (
    <Result
      status="warning"
      title="登录已过期"
      subTitle="为保障账户安全，长时间未操作后需要重新登录。未保存的修改不会提交。"
      extra={
        <Link to={loginReturningTo(location)}>
          <Button type="primary">重新登录</Button>
        </Link>
      }
    />
  );
}

function Home() {
  const { profile, can } = useSession();
  if (can('content.edit')) return <Navigate to="/content/activities" replace />;
  if (can('review.view')) return <Navigate to="/review" replace />;
  return (
    <Result status="info" title={`${profile?.maskedName ?? ''}，您好`} subTitle="客户经理的海报、客户与业绩在小程序的「客户经理工作台」中查看；管理台仅对管理员与审核员开放。" />
  );
}

function Shell() {
  const { profile, can, logout } = useSession();
  const names = useDirectory();
  const location = useLocation();
  const navigate = useNavigate();
  const items = MENU.filter((m) => can(m.permission) && (!m.children || m.children.length > 0)).map((m) => ({ key: m.key, label: m.label, children: m.children }));
  const selected =
    '/' +
    location.pathname
      .split('/')
      .slice(1, /^\/(content|steering)\//.test(location.pathname) ? 3 : 2)
      .join('/');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme="light" breakpoint="lg" collapsedWidth={0}>
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16 }}>私域运营管理台</div>
        {items.length > 0 && (
          <Menu mode="inline" selectedKeys={[selected]} defaultOpenKeys={['/content', '/steering']} items={items} onClick={(e) => navigate(e.key)} aria-label="主菜单" />
        )}
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', paddingInline: 24 }}>
          <Space>
            <Typography.Text data-testid="whoami" title="登录账号">
              {profile?.username}
            </Typography.Text>
            <Tag>{profile && staffRoleNamesZh[profile.role]}</Tag>
            {names && profile && <Tag color="blue">{names.orgName(profile.orgUnitId)}</Tag>}
            <Button onClick={() => void logout().then(() => navigate(loginReturningTo(location)))}>退出登录</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Suspense fallback={<Spin />}>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route
                path="/content/:kind"
                element={
                  <Guard permission="content.view">
                    <ContentList />
                  </Guard>
                }
              />
              <Route
                path="/content/:kind/new"
                element={
                  <Guard permission="content.edit">
                    <ContentEdit />
                  </Guard>
                }
              />
              <Route
                path="/content/:kind/:id"
                element={
                  <Guard permission="content.view">
                    <ContentEdit />
                  </Guard>
                }
              />
              <Route
                path="/review"
                element={
                  <Guard permission="review.view">
                    <ReviewQueue />
                  </Guard>
                }
              />
              <Route
                path="/review/:kind/:id"
                element={
                  <Guard permission="review.view">
                    <ReviewDetail />
                  </Guard>
                }
              />
              <Route
                path="/results"
                element={
                  <Guard permission="results.view">
                    <Results />
                  </Guard>
                }
              />
              <Route
                path="/results/:id"
                element={
                  <Guard permission="results.view">
                    <Results />
                  </Guard>
                }
              />
              <Route
                path="/customers"
                element={
                  <Guard permission="customers.view">
                    <Customers />
                  </Guard>
                }
              />
              <Route
                path="/mall"
                element={
                  <Guard permission="mall.view">
                    <Mall />
                  </Guard>
                }
              />
              <Route
                path="/operations"
                element={
                  <Guard permission="ops.view">
                    <Operations />
                  </Guard>
                }
              />
              <Route
                path="/people"
                element={
                  <Guard permission="people.view">
                    <People />
                  </Guard>
                }
              />
              {STEERING_PAGES.map(({ path, Page }) => (
                <Route
                  key={path}
                  path={path}
                  element={
                    <Guard permission="steering.view">
                      <Page />
                    </Guard>
                  }
                />
              ))}
              <Route path="/403" element={<Forbidden />} />
              <Route path="*" element={<Result status="404" title="页面不存在" extra={<Button onClick={() => navigate('/')}>返回首页</Button>} />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export function App() {
  const { profile, loading, expired } = useSession();
  const location = useLocation();
  if (location.pathname === '/login') return <Login />;
  if (expired) return <Expired />;
  if (loading) return <Spin fullscreen />;
  if (!profile) return <Navigate to={loginReturningTo(location)} replace />;
  return <Shell />;
}
