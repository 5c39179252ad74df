import { programmeMetricNamesZh, ProgrammeTargetInput, type ProgrammeMetric } from '@shared/contracts/programme';
import type { EventName } from '@shared/events';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { OrgDirectory, StaffDirectory } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';
import { periodRange } from './period';

export type TargetView = ReviewedView<ProgrammeTargetInput>;

/** A target is in force over its period (Beijing time). */
export const createTargetRepository = (db: Database, clock: Clock, faults: Faults) =>
  createReviewedRepository<ProgrammeTargetInput, object>(
    db,
    clock,
    {
      name: 'programme_target',
      viewCollection: 'programme_targets',
      window: (t) => {
        const p = periodRange(t.period.key);
        return { start: p.start, end: p.end };
      },
      extra: () => ({}),
    },
    faults,
  );
export type TargetRepository = ReturnType<typeof createTargetRepository>;

/** Who an allocation names. */
export type Assignee = { unitId?: string; rmId?: string };
const sameAssignee = (a: Assignee, b: Assignee) => (a.unitId !== undefined ? a.unitId === b.unitId : a.rmId !== undefined && a.rmId === b.rmId);

/**
 * The approved targets of a period (withdrawn ones left out) set by these units, and what they
 * allot to one unit or manager for one metric: the sum over those targets.
 */
export function createTargetBooks(deps: { targets: TargetRepository }) {
  async function approved(unitIds: string[], periodKey: string): Promise<ProgrammeTargetInput[]> {
    if (!unitIds.length) return [];
    const views = await deps.targets.listViews([...new Set(unitIds)], 'programme_target');
    return views.filter((v) => v.liveRevision !== null && !v.withdrawn && v.live?.period.key === periodKey).map((v) => v.live!);
  }
  const allotted = (targets: ProgrammeTargetInput[], metric: ProgrammeMetric, to: Assignee) =>
    targets.filter((t) => t.metric === metric).reduce((sum, t) => sum + t.allocations.filter((a) => sameAssignee(a, to)).reduce((s, a) => s + a.value, 0), 0);
  const named = (targets: ProgrammeTargetInput[], to: Assignee) => targets.some((t) => t.allocations.some((a) => sameAssignee(a, to)));
  const setBy = (targets: ProgrammeTargetInput[], unitId: string, metric: ProgrammeMetric) =>
    targets.filter((t) => t.orgUnitId === unitId && t.metric === metric).reduce((sum, t) => sum + t.allocations.reduce((s, a) => s + a.value, 0), 0);
  return { approved, allotted, named, setBy };
}
export type TargetBooks = ReturnType<typeof createTargetBooks>;

/**
 * 经营目标, reviewed like every other change (a second person approves). At submission and at
 * approval: every allocation names a unit below the setter's or a manager of the setter's
 * subtree, and a unit's split of a metric and period (this target and its other approved ones)
 * totals no less than what the units above allotted it.
 */
export function createTargetAdmin(
  deps: ReviewPlatformDeps & { targets: TargetRepository; org: OrgDirectory; staff: StaffDirectory; events: { published: EventName; withdrawn: EventName } },
) {
  const books = createTargetBooks({ targets: deps.targets });
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.targets,
    schema: ProgrammeTargetInput,
    label: '经营目标',
    errors: REVIEW_ERRORS,
    events: { ...deps.events, idField: 'targetId' },
    async checkPublishable(t) {
      const [subtree, unit, members] = await Promise.all([
        deps.org.subtreeIds(t.orgUnitId),
        deps.org.findById(t.orgUnitId),
        deps.staff.findByIds(t.allocations.flatMap((a) => (a.rmId !== undefined ? [a.rmId] : []))),
      ]);
      const within = new Set(subtree);
      const issues: { path: string; message: string }[] = [];
      t.allocations.forEach((a, i) => {
        if (a.unitId !== undefined) {
          if (!within.has(a.unitId) || a.unitId === t.orgUnitId) issues.push({ path: `allocations.${i}.unitId`, message: '只能分配给本机构的下级机构' });
        } else {
          const member = members.find((m) => m.id === a.rmId);
          if (!member || member.role !== 'rm' || member.disabled || !within.has(member.orgUnitId))
            issues.push({ path: `allocations.${i}.rmId`, message: '只能分配给本机构或下级机构的客户经理' });
        }
      });
      if (issues.length) throw new AppError('VALIDATION_RULE_FAILED', { issues });
      const above = unit?.path.filter((id) => id !== t.orgUnitId) ?? [];
      if (!above.length) return;
      const [fromAbove, own] = await Promise.all([books.approved(above, t.period.key), deps.targets.listViews([t.orgUnitId], 'programme_target')]);
      const allotted = books.allotted(fromAbove, t.metric, { unitId: t.orgUnitId });
      if (!allotted) return;
      // This unit's other approved splits of the same metric and period count with this one.
      const others = own.filter((v) => v.code !== t.code && v.liveRevision !== null && !v.withdrawn && v.live?.period.key === t.period.key && v.live.metric === t.metric);
      const total = t.allocations.reduce((s, a) => s + a.value, 0) + others.reduce((s, v) => s + v.live!.allocations.reduce((x, a) => x + a.value, 0), 0);
      if (total < allotted) {
        const message = `${programmeMetricNamesZh[t.metric]}（${t.period.key}）分解合计 ${total}，低于上级下达给本机构的 ${allotted}，请补足后再提交`;
        throw new AppError('VALIDATION_RULE_FAILED', { message, issues: [{ path: 'allocations', message }] });
      }
    },
  });
}
export type TargetAdmin = ReturnType<typeof createTargetAdmin>;

/** CSV columns: `period` and `allocations` as JSON. */
export const csvRowToTarget = csvRowReader({ json: new Set(['period', 'allocations']), numbers: new Set() });
