import { trackingApi, TrackingConfig } from '@shared/contracts/tracking';
import { implement } from '@/platform/http/routes';
import type { Ingest } from './ingest';

export function trackingRoutes(ingest: Ingest, config: TrackingConfig) {
  return [implement(trackingApi.getTrackingConfig, () => config), implement(trackingApi.trackEvents, ({ principal, body }) => ingest.ingest(principal.id, body.events))];
}
