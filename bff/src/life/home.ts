import type { LifeHome, LifeService } from '@shared/contracts/life';
import { checkWebviewUrl, SERVICE_CATEGORIES, serviceCategoryNamesZh } from '@shared/life-rules';
import type { CustomerDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { inBankTime } from '@/platform/time';
import type { TargetingService } from '@/targeting';
import type { TaskService } from '@/tasks';
import type { LifeServiceRepository, LifeServiceView } from './catalogue';

/** Whether bank time `hhmm` falls in [open, close); a close before the open runs past midnight. */
function withinHours(hhmm: string, hours: { open: string; close: string }): boolean {
  return hours.open <= hours.close ? hhmm >= hours.open && hhmm < hours.close : hhmm >= hours.open || hhmm < hours.close;
}

/**
 * 生活 as one customer sees it: what they are entitled to (the one eligibility rule, lists
 * included; a marketing opt-out takes nothing away), with a web page only while its address
 * passes the allowlist now, handed out normalised; open, or why not.
 */
export function createLifeHome(deps: {
  clock: Clock;
  services: LifeServiceRepository;
  customers: CustomerDirectory;
  targeting: TargetingService;
  tasks: TaskService;
  allowlist: readonly string[];
}) {
  /** The service's target as a customer may have it now, or null: a web page off the allowlist (or malformed) is left out. */
  function targetNow(v: LifeServiceView): LifeService['target'] | null {
    const t = v.live.target;
    if (t.kind !== 'web') return t;
    const checked = checkWebviewUrl(t.url, deps.allowlist);
    return checked.ok ? { kind: 'web', url: checked.url } : null;
  }

  /** Before consent (`browsing`) only what has no eligibility: the customer is not profiled. */
  async function visibleTo(customerId: string, browsing: boolean): Promise<LifeServiceView[]> {
    const customer = await deps.customers.findById(customerId);
    if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
    const views = (await deps.services.liveViews(deps.clock.now())) as LifeServiceView[];
    const admits = await deps.targeting.eligibility.of(
      customer,
      views.map((v) => v.live.eligibility),
      { browsing },
    );
    return views.filter((v) => targetNow(v) !== null && admits(v.live.eligibility));
  }

  function toCustomer(v: LifeServiceView): LifeService {
    const s = v.live;
    const now = deps.clock.now();
    const m = s.maintenance;
    const underMaintenance = m ? Date.parse(m.from) <= now.getTime() && now.getTime() < Date.parse(m.to) : false;
    const closed = s.hours ? !withinHours(inBankTime(now).format('HH:mm'), s.hours) : false;
    const notice = underMaintenance ? m!.notice : closed ? `服务时间 ${s.hours!.open}-${s.hours!.close}` : m && Date.parse(m.to) > now.getTime() ? m.notice : null;
    return {
      id: v._id,
      category: s.category,
      name: s.name,
      description: s.description,
      icon: s.icon ?? null,
      target: targetNow(v)!,
      pinned: s.pinned,
      available: !underMaintenance && !closed,
      notice,
    };
  }

  return {
    async home(customerId: string, browsing = false): Promise<LifeHome> {
      const services = (await visibleTo(customerId, browsing)).sort((a, b) => a.live.order - b.live.order || a.live.code.localeCompare(b.live.code)).map(toCustomer);
      return {
        pinned: services.filter((s) => s.pinned),
        categories: SERVICE_CATEGORIES.map((category) => ({ category, name: serviceCategoryNamesZh[category], services: services.filter((s) => s.category === category) })).filter(
          (c) => c.services.length > 0,
        ),
        notices: [...new Set(services.flatMap((s) => (s.notice && !s.notice.startsWith('服务时间') ? [`${s.name}：${s.notice}`] : [])))],
      };
    },

    /** One service as this customer may have it now (what the web-view page asks for by id): 404 when it is not theirs. */
    async service(customerId: string, id: string, browsing = false): Promise<LifeService> {
      const view = (await visibleTo(customerId, browsing)).find((v) => v._id === id);
      if (!view) throw new AppError('NOT_FOUND', { message: '服务不存在或暂未向您开放' });
      return toCustomer(view);
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
