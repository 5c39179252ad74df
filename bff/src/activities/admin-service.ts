import { randomUUID } from 'node:crypto';
import { ActivityInput, type ActivityState, type AdminActivity, type BulkUploadResult } from '../../../shared/contracts/activities';
import { EventName } from '../../../shared/events';
import type { Config } from '../config';
import type { Scope } from '../org/scope';
import type { Principal } from '../platform/auth/principal';
import type { Clock } from '../platform/clock';
import { diffObjects } from '../platform/diff';
import { AppError, type FieldIssue } from '../platform/errors';
import type { Outbox } from '../platform/outbox';
import { toFieldIssues } from '../platform/http/routes';
import { findBannedWords } from './banned-words';
import type { ActivityRepository, ActivityView, Lifecycle, LifecycleEvent } from './repository';

type Action = LifecycleEvent['action'];

export function activityState(view: Pick<ActivityView, 'withdrawn' | 'liveRevision' | 'liveStart' | 'liveEnd' | 'working'>, now: Date): ActivityState {
  if (view.withdrawn) return 'withdrawn';
  if (view.liveRevision !== null && view.liveStart && view.liveEnd) {
    if (now < view.liveStart) return 'approved';
    return now < view.liveEnd ? 'live' : 'ended';
  }
  return view.working?.state === 'pending_review' ? 'pending_review' : 'draft';
}

export function createActivityAdminService(deps: { config: Config; clock: Clock; activities: ActivityRepository; scope: Scope; outbox: Outbox }) {
  const { activities, clock } = deps;

  async function scope(principal: Principal): Promise<string[]> {
    if (!principal.orgUnitId) throw new AppError('FORBIDDEN');
    return deps.scope.unitIds(principal);
  }

  /** An activity the caller may see; others do not exist for them. */
  async function visible(principal: Principal, id: string): Promise<ActivityView> {
    const view = await activities.findView(id);
    if (!view || !(await scope(principal)).includes(view.orgUnitId)) throw new AppError('NOT_FOUND');
    return view;
  }

  async function requireUnitInScope(principal: Principal, orgUnitId: string) {
    if (!(await scope(principal)).includes(orgUnitId)) {
      throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'orgUnitId', message: '只能为本机构或下级机构创建活动' }] });
    }
  }

  function toAdmin(view: ActivityView): AdminActivity {
    return {
      id: view._id,
      code: view.code,
      type: view.type,
      orgUnitId: view.orgUnitId,
      state: activityState(view, clock.now()),
      liveRevision: view.liveRevision,
      workingRevision: view.working?.revision ?? null,
      workingState: view.working?.state ?? null,
      live: view.live,
      working: view.workingContent,
      rejectionReason: view.working?.state === 'rejected' ? view.working.reason : null,
    };
  }

  /** Appends one lifecycle step decided from the current state, then refreshes the query view. */
  async function step(
    principal: Principal,
    id: string,
    action: Action,
    decide: (state: Lifecycle) => { state: Lifecycle; revision?: number | null; reason?: string | null; diff?: LifecycleEvent['diff'] },
  ): Promise<AdminActivity> {
    const { entry } = await activities.append(id, (head) => {
      if (!head) throw new AppError('NOT_FOUND');
      const next = decide(head.data.state);
      return { action, actorId: principal.id, actorRole: principal.role, revision: next.revision ?? null, reason: next.reason ?? null, diff: next.diff ?? [], state: next.state };
    });
    const view = (await activities.project(id))!;
    if (action === 'approved') await deps.outbox.record(EventName.ACTIVITY_PUBLISHED, `${id}#${entry.data.revision}`, { activityId: id, code: view.code, revision: entry.data.revision, orgUnitId: view.orgUnitId });
    if (action === 'withdrawn') await deps.outbox.record(EventName.ACTIVITY_WITHDRAWN, id, { activityId: id, code: view.code });
    return toAdmin(view);
  }

  function checkPrizeLock(view: ActivityView, next: ActivityInput) {
    // AUCL (2025) art. 11: prize information may not change once a promotion has started.
    if (view.live?.type === 'draw' && next.type === 'draw' && view.liveStart && clock.now() >= view.liveStart) {
      if (JSON.stringify(view.live.settings.prizes) !== JSON.stringify(next.settings.prizes)) throw new AppError('ACTIVITY_PRIZES_LOCKED');
    }
  }

  async function create(principal: Principal, input: ActivityInput): Promise<AdminActivity> {
    await requireUnitInScope(principal, input.orgUnitId);
    const id = randomUUID();
    if (!(await activities.claimCode(input.code, id))) {
      throw new AppError('CONFLICT', { message: `活动编码 ${input.code} 已存在`, issues: [{ path: 'code', message: '活动编码已存在' }] });
    }
    await activities.insertRevision(id, 1, input, principal.id);
    await activities.append(id, () => ({
      action: 'created',
      actorId: principal.id,
      actorRole: principal.role,
      revision: 1,
      reason: null,
      diff: diffObjects({}, input),
      state: {
        code: input.code,
        type: input.type,
        orgUnitId: input.orgUnitId,
        revisions: 1,
        liveRevision: null,
        working: { revision: 1, state: 'draft', authorId: principal.id, submittedBy: null, reason: null },
        withdrawn: false,
      },
    }));
    return toAdmin((await activities.project(id))!);
  }

  async function update(principal: Principal, id: string, input: ActivityInput): Promise<AdminActivity> {
    const view = await visible(principal, id);
    await requireUnitInScope(principal, input.orgUnitId);
    if (input.code !== view.code || input.type !== view.type) {
      throw new AppError('VALIDATION_FAILED', { issues: [{ path: input.code !== view.code ? 'code' : 'type', message: '活动编码和类型创建后不可修改' }] });
    }
    if (view.withdrawn) throw new AppError('ACTIVITY_INVALID_TRANSITION', { message: '活动已下线，不能修改' });
    if (view.working?.state === 'pending_review') throw new AppError('ACTIVITY_INVALID_TRANSITION', { message: '活动正在审核中，审核完成后才能修改' });
    checkPrizeLock(view, input);
    const head = (await activities.head(id))!;
    const revision = head.data.state.revisions + 1;
    // The insert is the claim on this revision number: a concurrent editor gets a conflict.
    if (!(await activities.insertRevision(id, revision, input, principal.id))) throw new AppError('CONFLICT');
    const base = view.workingContent ?? view.live;
    return step(principal, id, 'edited', (state) => {
      if (state.revisions !== revision - 1) throw new AppError('CONFLICT');
      return {
        state: { ...state, orgUnitId: input.orgUnitId, revisions: revision, working: { revision, state: 'draft', authorId: principal.id, submittedBy: null, reason: null } },
        revision,
        diff: diffObjects(base, input),
      };
    });
  }

  return {
    create,
    update,
    get: async (principal: Principal, id: string) => toAdmin(await visible(principal, id)),
    list: async (principal: Principal) => (await activities.listViews(await scope(principal))).map(toAdmin),

    async submit(principal: Principal, id: string): Promise<AdminActivity> {
      const view = await visible(principal, id);
      if (!view.working || view.working.state === 'pending_review') throw new AppError('ACTIVITY_INVALID_TRANSITION', { message: '没有待提交的修改' });
      const banned = findBannedWords(view.workingContent!, deps.config.bannedWords);
      if (banned.length) {
        throw new AppError('ACTIVITY_BANNED_WORDS', { message: `活动文案包含金融营销禁用词：${banned.map((b) => `${b.path}（${b.message.replace('包含禁用词：', '')}）`).join('；')}`, issues: banned });
      }
      const revision = view.working.revision;
      return step(principal, id, 'submitted', (state) => {
        if (state.working?.revision !== revision || state.working.state === 'pending_review') throw new AppError('CONFLICT');
        return { state: { ...state, working: { ...state.working, state: 'pending_review', submittedBy: principal.id, reason: null } }, revision };
      });
    },

    async approve(principal: Principal, id: string, reason: string | undefined): Promise<AdminActivity> {
      await visible(principal, id);
      return step(principal, id, 'approved', (state) => {
        const w = state.working;
        if (!w || w.state !== 'pending_review') throw new AppError('ACTIVITY_INVALID_TRANSITION', { message: '活动不在待审核状态' });
        // Maker-checker: whoever wrote or submitted this revision may not approve it.
        if (w.authorId === principal.id || w.submittedBy === principal.id) throw new AppError('ACTIVITY_SELF_REVIEW');
        return { state: { ...state, liveRevision: w.revision, working: null }, revision: w.revision, reason: reason ?? null };
      });
    },

    async reject(principal: Principal, id: string, reason: string): Promise<AdminActivity> {
      await visible(principal, id);
      return step(principal, id, 'rejected', (state) => {
        const w = state.working;
        if (!w || w.state !== 'pending_review') throw new AppError('ACTIVITY_INVALID_TRANSITION', { message: '活动不在待审核状态' });
        if (w.authorId === principal.id || w.submittedBy === principal.id) throw new AppError('ACTIVITY_SELF_REVIEW');
        return { state: { ...state, working: { ...w, state: 'rejected', reason } }, revision: w.revision, reason };
      });
    },

    async withdraw(principal: Principal, id: string, reason: string): Promise<AdminActivity> {
      await visible(principal, id);
      return step(principal, id, 'withdrawn', (state) => {
        if (state.liveRevision === null || state.withdrawn) throw new AppError('ACTIVITY_INVALID_TRANSITION', { message: '只有已发布的活动可以下线' });
        return { state: { ...state, withdrawn: true }, revision: state.liveRevision, reason };
      });
    },

    async history(principal: Principal, id: string) {
      await visible(principal, id);
      const entries = await activities.history(id);
      return entries.reverse().map((e) => ({
        seq: e.seq,
        action: e.data.action,
        actorId: e.data.actorId,
        actorRole: e.data.actorRole,
        at: e.at.toISOString(),
        revision: e.data.revision,
        reason: e.data.reason,
        diff: e.data.diff,
      }));
    },

    /**
     * Creates or updates many activities keyed by the bank's code. Every row is validated
     * first; one bad row saves nothing. Rows equal to what is stored change nothing, so
     * uploading the same file twice is a no-op.
     */
    async bulkUpload(principal: Principal, rows: unknown[]): Promise<BulkUploadResult> {
      const issues: FieldIssue[] = [];
      const parsed: { input: ActivityInput; existing: ActivityView | null }[] = [];
      const units = await scope(principal);
      const seen = new Set<string>();
      for (const [i, row] of rows.entries()) {
        const result = ActivityInput.safeParse(row);
        if (!result.success) {
          issues.push(...toFieldIssues(result.error, `items.${i}`));
          continue;
        }
        const input = result.data;
        if (seen.has(input.code)) issues.push({ path: `items.${i}.code`, message: '同一文件中活动编码重复' });
        seen.add(input.code);
        if (!units.includes(input.orgUnitId)) issues.push({ path: `items.${i}.orgUnitId`, message: '只能为本机构或下级机构上传活动' });
        const id = await activities.activityIdForCode(input.code);
        const existing = id ? await activities.findView(id) : null;
        if (existing && !units.includes(existing.orgUnitId)) issues.push({ path: `items.${i}.code`, message: '活动编码已被其他机构使用' });
        if (existing && existing.type !== input.type) issues.push({ path: `items.${i}.type`, message: '活动类型创建后不可修改' });
        parsed.push({ input, existing });
      }
      if (issues.length) throw new AppError('BULK_UPLOAD_INVALID', { issues });

      const result: BulkUploadResult = { created: 0, updated: 0, unchanged: 0 };
      for (const { input, existing } of parsed) {
        if (!existing) {
          await create(principal, input);
          result.created += 1;
        } else if (JSON.stringify(existing.workingContent ?? existing.live) === JSON.stringify(input)) {
          result.unchanged += 1;
        } else {
          await update(principal, existing._id, input);
          result.updated += 1;
        }
      }
      return result;
    },
  };
}

export type ActivityAdminService = ReturnType<typeof createActivityAdminService>;

/** CSV columns: dotted paths into the activity; JSON in `targeting`, `settings`, `reward`, `images`. */
export const CSV_JSON_COLUMNS = new Set(['targeting', 'settings', 'reward', 'images']);
export const CSV_NUMBER_COLUMNS = new Set(['budget.maxRewards', 'budget.maxPoints', 'controlGroupPercent', 'priority']);

export function csvRowToActivity(record: Record<string, string>): unknown {
  const out: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(record)) {
    const value = raw.trim();
    if (value === '') continue;
    let parsed: unknown = value;
    if (CSV_JSON_COLUMNS.has(column)) {
      try {
        parsed = JSON.parse(value);
      } catch {
        // left as text: validation then names the column
      }
    } else if (CSV_NUMBER_COLUMNS.has(column) && /^-?\d+(\.\d+)?$/.test(value)) {
      parsed = Number(value);
    }
    const path = column.split('.');
    let target = out;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]] = parsed;
  }
  return out;
}
