import type { LifeHome, LifeService } from '../../../shared/contracts/life';
import { SERVICE_CATEGORIES, serviceCategoryNamesZh } from '../../../shared/life-rules';
import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/errors';
import { inBankTime } from '../platform/time';
import type { TargetingService } from '../targeting/service';
import type { TaskService } from '../tasks/service';
import { allowedHost, webHost, type LifeServiceRepository, type LifeServiceView } from './catalogue';

/** Whether bank time `hhmm` falls in [open, close); a close before the open runs past midnight. */
function withinHours(hhmm: string, hours: { open: string; close: string }): boolean {
  return hours.open <= hours.close ? hhmm >= hours.open && hhmm < hours.close : hhmm >= hours.open || hhmm < hours.close;
}

/** 生活 as one customer sees it: what is aimed at them, on the allowlist now, open or why not. */
export function createLifeHome(deps: { clock: Clock; services: LifeServiceRepository; customers: CustomerRepository; targeting: TargetingService; tasks: TaskService; allowlist: readonly string[] }) {
  /** Before consent (`browsing`) only what is open to everyone: the customer is not profiled. */
  async function visibleTo(customerId: string, browsing: boolean): Promise<LifeServiceView[]> {
    const customer = await deps.customers.findById(customerId);
    if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
    const views = (await deps.services.liveViews(deps.clock.now())) as LifeServiceView[];
    const aimed = !browsing && views.some((v) => v.live.eligibility);
    const profile = aimed ? await deps.targeting.profileOf(customer, []) : null;
    return views.filter((v) => {
      const host = webHost(v.live);
      if (host && !allowedHost(host, deps.allowlist)) return false;
      return !v.live.eligibility || (profile !== null && deps.targeting.isTargeted({ mode: 'tags', expression: v.live.eligibility }, profile, customer.personalized));
    });
  }

  function toCustomer(v: LifeServiceView): LifeService {
    const s = v.live;
    const now = deps.clock.now();
    const m = s.maintenance;
    const underMaintenance = m ? Date.parse(m.from) <= now.getTime() && now.getTime() < Date.parse(m.to) : false;
    const closed = s.hours ? !withinHours(inBankTime(now).format('HH:mm'), s.hours) : false;
    const notice = underMaintenance ? m!.notice : closed ? `服务时间 ${s.hours!.open}-${s.hours!.close}` : m && Date.parse(m.to) > now.getTime() ? m.notice : null;
    return { id: v._id, category: s.category, name: s.name, description: s.description, icon: s.icon ?? null, target: s.target, pinned: s.pinned, available: !underMaintenance && !closed, notice };
  }

  return {
    async home(customerId: string, browsing = false): Promise<LifeHome> {
      const services = (await visibleTo(customerId, browsing)).sort((a, b) => a.live.order - b.live.order || a.live.code.localeCompare(b.live.code)).map(toCustomer);
      return {
        pinned: services.filter((s) => s.pinned),
        categories: SERVICE_CATEGORIES.map((category) => ({ category, name: serviceCategoryNamesZh[category], services: services.filter((s) => s.category === category) })).filter((c) => c.services.length > 0),
        notices: [...new Set(services.flatMap((s) => (s.notice && !s.notice.startsWith('服务时间') ? [`${s.name}：${s.notice}`] : [])))],
      };
    },

    /** Opening a service: refused while it is unavailable; its first use completes the 首次使用生活服务 task. */
    async open(customerId: string, id: string): Promise<{ target: LifeService['target']; firstUse: boolean }> {
      const view = (await visibleTo(customerId, false)).find((v) => v._id === id);
      if (!view) throw new AppError('NOT_FOUND', { message: '服务不存在或暂未向您开放' });
      const service = toCustomer(view);
      if (!service.available) throw new AppError('LIFE_SERVICE_UNAVAILABLE', { message: service.notice ?? '服务暂不可用' });
      const paid = await deps.tasks.completed(customerId, 'first_service');
      return { target: service.target, firstUse: paid > 0 };
    },
  };
}

export type LifeHomeService = ReturnType<typeof createLifeHome>;
