import type { ReactNode } from 'react';
import { Customers } from './customers';
import { Performance } from './performance';
import { Poster } from './poster';

/** What a tab may do besides showing itself: open another tab (an empty list's way on). */
export type TabContext = { open: (key: string) => void };

/**
 * The workbench's tabs, in the order they show: each is its own file, so a feature adds a tab
 * by adding one line here. The bar scrolls sideways when they do not fit (320 px).
 */
export const WORKBENCH_TABS: { key: string; label: string; render: (ctx: TabContext) => ReactNode }[] = [
  { key: 'customers', label: '我的客户', render: ({ open }) => <Customers onPoster={() => open('poster')} /> },
  { key: 'poster', label: '我的海报', render: () => <Poster /> },
  { key: 'performance', label: '我的业绩', render: () => <Performance /> },
];
