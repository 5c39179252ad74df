import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * 经营管理's own pages (the cockpit, task progress, leads), each loaded when first opened; the
 * reviewed documents that steer (targets, tasks, content, lead rules) are kinds (kinds.ts,
 * group 'steering') edited like any other. A feature adds its page with one line here.
 */
export const STEERING_PAGES: { path: string; label: string; Page: LazyExoticComponent<ComponentType> }[] = [
  { path: '/steering/cockpit', label: '经营看板', Page: lazy(() => import('./Cockpit')) },
  { path: '/steering/tasks', label: '任务执行', Page: lazy(() => import('./TaskProgressPage')) },
  { path: '/steering/leads', label: '商机跟进', Page: lazy(() => import('./Leads')) },
];
