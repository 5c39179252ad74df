import type { DeliverySink } from '../../../shared/contracts/delivery';
import type { Config } from '../config';
import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import { createRelay } from './relay';
import { deliveryRoutes } from './routes';
import { ndjsonSink, webhookSink, type Sink } from './sinks';
import { createDeliveryOperations } from './status';

/** The sinks this deployment sends to, from its configuration. */
export const sinksOf = (config: Config): DeliverySink[] => [...(config.delivery.webhook ? (['webhook'] as const) : []), ...(config.delivery.exportDir ? (['ndjson'] as const) : [])];

/** Events to the bank: the relay (started by the process, beside maintenance), and its operations endpoints. */
export function deliveryModule(ctx: AppContext) {
  const { webhook, exportDir } = ctx.config.delivery;
  const sinks: Sink[] = [...(webhook ? [webhookSink({ ...webhook, clock: ctx.clock })] : []), ...(exportDir ? [ndjsonSink({ dir: exportDir })] : [])];
  const relay = createRelay({ db: ctx.db, clock: ctx.clock, logger: ctx.logger, sinks, config: ctx.config.delivery });
  const operations = createDeliveryOperations({ db: ctx.db, clock: ctx.clock, audit: ctx.audit, sinks: ctx.delivery.sinks });
  const module: CapabilityModule = { name: 'delivery', routes: deliveryRoutes(operations, ctx.scope), jobs: { purge: () => relay.purge() } };
  return { module, relay, operations };
}
