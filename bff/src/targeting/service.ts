import type { CustomerTagRow, CustomerTagUploadResult } from '@shared/contracts/targeting';
import type { Config } from '@/config';
import type { CustomerDirectory } from '@/platform/directory';
import type { Principal } from '@/platform/auth/principal';
import type { AuditLog } from '@/platform/audit';
import type { Clock } from '@/platform/clock';
import { createEligibility } from './eligibility';
import type { TagDoc, TargetingRepository } from './repository';
import type { Scope } from '@/platform/auth/scope';
import { forEachLimit } from '@/platform/pool';

const DAY_MS = 24 * 60 * 60 * 1000;
const ATTRIBUTES = ['tier', 'risk', 'funds', 'interests', 'tags'] as const;

/** Customers an upload works on at once: enough to overlap database round trips, few enough to leave the pool to requests. */
const UPLOAD_PARALLELISM = 8;

export function createTargetingService(deps: { config: Config; clock: Clock; targeting: TargetingRepository; customers: CustomerDirectory; audit: AuditLog; scope: Scope }) {
  const { targeting, customers, config } = deps;
  const eligibility = createEligibility({ clock: deps.clock, targeting, newCustomerDays: config.targeting.newCustomerDays });

  return {
    /**
     * Applies a tag upload from the bank. Re-sending the same rows changes nothing; rows naming
     * no known customer are reported, not guessed.
     */
    async uploadTags(principal: Principal, rows: CustomerTagRow[], options: { dryRun?: boolean } = {}): Promise<CustomerTagUploadResult> {
      const dryRun = options.dryRun ?? false;
      const result: CustomerTagUploadResult = { applied: 0, unchanged: 0, unknown: [], dryRun };
      // Each way of naming a customer is resolved once per upload, several at a time.
      const keyOf = (row: CustomerTagRow) => JSON.stringify([row.customerId ?? null, row.openid ?? null, row.phoneHash ?? null]);
      const firstRowOf = new Map<string, CustomerTagRow>();
      for (const row of rows) if (!firstRowOf.has(keyOf(row))) firstRowOf.set(keyOf(row), row);
      const resolved = new Map<string, string | null>();
      await forEachLimit([...firstRowOf], UPLOAD_PARALLELISM, async ([key, row]) => {
        const id = await customers.resolveId(row, config.wechat.appid);
        const customer = id ? await customers.findById(id) : null;
        // A customer of another branch is reported like an unknown one: staff reach only their own.
        resolved.set(key, customer && (await deps.scope.reachesCustomer(principal, customer)) ? customer.id : null);
      });
      // One customer's rows apply in file order (the last says what stays); customers in parallel.
      const byCustomer = new Map<string, CustomerTagRow[]>();
      for (const [index, row] of rows.entries()) {
        const customerId = resolved.get(keyOf(row));
        if (!customerId) result.unknown.push({ row: index, key: row.customerId ? `customerId:${row.customerId}` : row.openid ? 'openid' : 'phoneHash' });
        else byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), row]);
      }
      await forEachLimit([...byCustomer], UPLOAD_PARALLELISM, async ([customerId, own]) => {
        // A dry run follows the customer's rows on what it read, in memory, as the upload would write them.
        let simulated = dryRun ? await targeting.findTags(customerId) : null;
        const onLists = dryRun ? await targeting.listsOf(customerId) : null;
        for (const row of own) {
          const existing = dryRun ? simulated : await targeting.findTags(customerId);
          const next: TagDoc = { ...(existing ?? {}), _id: customerId, updatedAt: deps.clock.now() };
          for (const key of ATTRIBUTES) if (row[key] !== undefined) (next as Record<string, unknown>)[key] = row[key];
          const changed = ATTRIBUTES.some((k) => JSON.stringify(existing?.[k] ?? null) !== JSON.stringify(next[k] ?? null));
          let addedToLists = 0;
          if (onLists) {
            const added = (row.lists ?? []).filter((l) => !onLists.has(l));
            added.forEach((l) => onLists.add(l));
            addedToLists = added.length;
            simulated = next;
          } else {
            if (changed) await targeting.saveTags(next);
            addedToLists = await targeting.addToLists(customerId, row.lists ?? []);
          }
          if (changed || addedToLists > 0) result.applied += 1;
          else result.unchanged += 1;
        }
      });
      if (dryRun) return result;
      await deps.audit.record(principal, {
        action: 'customer_tags.uploaded',
        targetType: 'customer_tags',
        targetId: 'bulk',
        detail: { rows: rows.length, applied: result.applied, unchanged: result.unchanged, unknown: result.unknown.length },
      });
      return result;
    },

    /** The one eligibility rule (see eligibility.ts): `eligibility.of(customer, expressions)` gives the check for them. */
    eligibility,

    async dismiss(customerId: string, activity: { id: string; type: string }, hideType: boolean): Promise<void> {
      await targeting.dismiss(customerId, {
        activityId: activity.id,
        type: activity.type,
        hideType,
        until: new Date(deps.clock.now().getTime() + config.targeting.dismissDays * DAY_MS),
      });
    },

    /** What the customer asked not to see: activities, and whole types. */
    async hidden(customerId: string): Promise<{ activities: Set<string>; types: Set<string> }> {
      const active = await targeting.activeDismissals(customerId);
      return { activities: new Set(active.map((d) => d.activityId)), types: new Set(active.filter((d) => d.hideType).map((d) => d.type)) };
    },

    admitToday: (customerId: string, day: string, activityIds: string[]) => targeting.admitToday(customerId, day, activityIds, config.targeting.dailyCap),
  };
}

export type TargetingService = ReturnType<typeof createTargetingService>;
