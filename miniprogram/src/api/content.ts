import type { ContentView } from '@shared/contracts/content-library';
import { call } from './client';

export type { ContentView };

/** A piece of content a manager shared; with the share's scene it is counted for them (after consent, once). */
export const openContent = (id: string, scene?: string) => call('openContent', { params: { id }, query: scene ? { scene } : {} });
