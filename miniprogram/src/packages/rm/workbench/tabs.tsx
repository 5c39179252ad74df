import type { ReactNode } from 'react';
import { Customers } from './customers';
import { Library } from './library';
import { Leads } from './leads';
import { Performance } from './performance';
import { Poster } from './poster';
import { Tasks } from './tasks';

/** What a tab may do besides showing itself: open another tab (an empty list's way on). */
export type TabContext = { open: (key: string) => void };

/**
 * The workbench's tabs, in the order they show: each is its own file, so a feature adds a tab
 * by adding one line here. The bar scrolls sideways when they do not fit (320 px).
 */
export const WORKBENCH_TABS: { key: string; label: string; render: (ctx: TabContext) => ReactNode }[] = [
  { key: 'tasks', label: '我的任务', render: () => <Tasks /> },
  { key: 'customers', label: '我的客户', render: ({ open }) => <Customers onPoster={() => open('poster')} /> },
  { key: 'poster', label: '我的海报', render: () => <Poster /> },
  { key: 'library', label: '内容库', render: ({ open }) => <Library onPoster={() => open('poster')} /> },
  { key: 'leads', label: '我的商机', render: () => <Leads /> },
  { key: 'performance', label: '我的业绩', render: () => <Performance /> },
];
