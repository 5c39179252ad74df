import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ReviewedListQuery, ReviewState } from '@shared/contracts/review';
import type { ErrorCode } from '@shared/errors';
import { pathLabel } from '@shared/field-labels';
import type { EventName } from '@shared/events';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { StreamEntry } from '@/platform/stream';
import { diffObjects } from '@/platform/diff';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { Outbox } from '@/platform/outbox';
import type { AuditLog } from '@/platform/audit';
import { findBannedWords } from '@shared/banned-words';
import { createBulkUpload } from './bulk-upload';
import type { Lifecycle, LifecycleEvent, ReviewedContent, ReviewedRepository, ReviewedView } from './repository';

type Action = LifecycleEvent['action'];

function reviewState(view: Pick<ReviewedView<ReviewedContent>, 'withdrawn' | 'liveRevision' | 'liveStart' | 'liveEnd' | 'working'>, now: Date): ReviewState {
  if (view.withdrawn) return 'withdrawn';
  if (view.liveRevision !== null && view.liveStart && view.liveEnd) {
    if (now < view.liveStart) return 'approved';
    return now < view.liveEnd ? 'live' : 'ended';
  }
  return view.working?.state === 'pending_review' ? 'pending_review' : 'draft';
}

type AdminDocument<C> = {
  id: string;
  code: string;
  type: string;
  orgUnitId: string;
  state: ReviewState;
  liveRevision: number | null;
  workingRevision: number | null;
  workingState: 'draft' | 'pending_review' | 'rejected' | null;
  live: C | null;
  working: C | null;
  rejectionReason: string | null;
  authorId: string | null;
  submittedBy: string | null;
  submittedAt: string | null;
};

type WorkflowOptions<C extends ReviewedContent, X extends object> = {
  clock: Clock;
  /** The org units a member of staff reaches (the org capability's scope). */
  scope: { unitIds(principal: Principal): Promise<string[]> };
  outbox: Outbox;
  audit: AuditLog;
  faults: Faults;
  /** Throws unless the checker is independent of the maker (not created or promoted by them). */
  independent(checkerId: string, makerIds: string[]): Promise<void>;
  repository: ReviewedRepository<C, X>;
  schema: z.ZodType<C>;
  /** What one document is called in messages: 活动, 商品. */
  label: string;
  /** Wording refused at submission in any text of the document. */
  bannedWords: string[];
  errors: { invalidTransition: ErrorCode; selfReview: ErrorCode; bannedWords: ErrorCode };
  /** Events for the bank's systems; `idField` names the document's id in their payload. */
  events: { published: EventName; withdrawn: EventName; idField: string };
  /** Refuses an edit the kind does not allow (for example prizes after a draw started). */
  checkEdit?: (view: ReviewedView<C, X>, next: C) => void;
  /** Other org units the document names (the units that may use a piece of content): each must be in the author's subtree, as its own unit must. */
  unitsOf?: (content: C) => string[];
  /** Refuses content breaking a rule of the deployment (a web domain off the allowlist): run on every create and edit, bulk ones too. */
  checkContent?: (content: C) => void;
  /** Refuses a revision that could not go live as it stands (for example a prize whose stock is gone); run at submission and again at approval. */
  checkPublishable?: (content: C) => Promise<void>;
  /**
   * Takes what the revision needs before its approval is recorded (a draw's mall-item units,
   * exactly), keyed so that running it again takes nothing twice; throws to refuse the approval,
   * having given back what it took. `view` is the document as it stands before the approval.
   */
  prepareApproval?: (view: ReviewedView<C, X>, content: C) => Promise<void>;
  /**
   * Gives back what `prepareApproval` took for a document whose approval was then refused or
   * never recorded (a crash between the two: the sweep calls it); never what a live revision holds.
   */
  releaseApproval?: (view: ReviewedView<C, X>) => Promise<void>;
  /**
   * Runs once a revision is live (for example: put a new item's first stock on sale). It may
   * run again after a crash or on a later step, so it must be keyed: the same effect once.
   */
  onApproved?: (view: ReviewedView<C, X>) => Promise<void>;
};

type PlatformPart = 'clock' | 'scope' | 'outbox' | 'audit' | 'faults' | 'independent' | 'bannedWords';
export type ReviewPlatformDeps = Pick<WorkflowOptions<ReviewedContent, object>, PlatformPart>;
/** What every reviewed kind takes from the platform, picked from a module's dependencies. */
export const reviewPlatform = (deps: ReviewPlatformDeps): ReviewPlatformDeps => ({
  clock: deps.clock,
  scope: deps.scope,
  outbox: deps.outbox,
  audit: deps.audit,
  faults: deps.faults,
  independent: deps.independent,
  bannedWords: deps.bannedWords,
});
/** The review errors of kinds without their own codes. */
export const REVIEW_ERRORS = { invalidTransition: 'REVIEW_INVALID_TRANSITION', selfReview: 'REVIEW_SELF_REVIEW', bannedWords: 'REVIEW_BANNED_WORDS' } as const;

/** How long a lifecycle step may run before the sweep takes it for one a crash cut short. */
const STEP_LEASE_MS = 60_000;

/**
 * Maker-checker review for one kind of document: drafts, submission after a banned-words
 * check, approval by someone other than the author or submitter, rejection with a reason,
 * withdrawal, full history, and bulk upload keyed by the bank's code (bulk-upload.ts).
 */
export function createReviewWorkflow<C extends ReviewedContent, X extends object>(options: WorkflowOptions<C, X>) {
  type View = ReviewedView<C, X>;
  const { repository: docs, clock, label, errors } = options;

  async function scope(principal: Principal): Promise<string[]> {
    if (!principal.orgUnitId) throw new AppError('FORBIDDEN');
    return options.scope.unitIds(principal);
  }

  /** A document the caller may see; others do not exist for them. */
  async function visible(principal: Principal, id: string): Promise<View> {
    const view = await docs.findView(id);
    if (!view || !(await scope(principal)).includes(view.orgUnitId)) throw new AppError('NOT_FOUND');
    return view;
  }

  async function requireUnitInScope(principal: Principal, content: C) {
    const units = await scope(principal);
    if (![content.orgUnitId, ...(options.unitsOf?.(content) ?? [])].every((unit) => units.includes(unit))) {
      // Outside the caller's subtree, whether or not the unit exists: nothing is told of units they cannot see.
      throw new AppError('FORBIDDEN', { message: `只能为本机构或下级机构创建${label}` });
    }
  }

  function toAdmin(view: View): AdminDocument<C> {
    return {
      id: view._id,
      code: view.code,
      type: view.type,
      orgUnitId: view.orgUnitId,
      state: reviewState(view, clock.now()),
      liveRevision: view.liveRevision,
      workingRevision: view.working?.revision ?? null,
      workingState: view.working?.state ?? null,
      live: view.live,
      working: view.workingContent,
      rejectionReason: view.working?.state === 'rejected' ? view.working.reason : null,
      authorId: view.working?.authorId ?? null,
      submittedBy: view.working?.submittedBy ?? null,
      submittedAt: view.working?.submittedAt?.toISOString() ?? null,
    };
  }

  /** Whether a document matches the list's filters other than its type and unit (those the database applies). */
  function matches(doc: AdminDocument<C>, query: ReviewedListQuery): boolean {
    if (query.state && doc.state !== query.state) return false;
    if (query.workingState && doc.workingState !== query.workingState) return false;
    const content = doc.working ?? doc.live;
    if (query.q) {
      const q = query.q.toLowerCase();
      const title = String((content as { title?: unknown; name?: unknown } | null)?.title ?? (content as { name?: unknown } | null)?.name ?? '');
      if (!doc.code.toLowerCase().includes(q) && !title.toLowerCase().includes(q)) return false;
    }
    if ((query.from || query.to) && content) {
      const { start, end } = docs.kind.window(content);
      if (query.from && end <= new Date(query.from)) return false;
      if (query.to && start >= new Date(query.to)) return false;
    }
    return true;
  }

  /** One page of the caller's subtree, filtered; the state depends on the time, so it is filtered here, not in the database. */
  async function listPage(principal: Principal, query: ReviewedListQuery) {
    const units = await scope(principal);
    if (query.orgUnitId && !units.includes(query.orgUnitId)) throw new AppError('FORBIDDEN', { message: `只能查看本机构或下级机构的${label}` });
    const views = await docs.listViews(query.orgUnitId ? [query.orgUnitId] : units, query.type);
    const found = views.map(toAdmin).filter((doc) => matches(doc, query));
    const start = (query.page - 1) * query.pageSize;
    return { items: found.slice(start, start + query.pageSize), total: found.length, page: query.page, pageSize: query.pageSize };
  }

  const invalid = (message: string) => new AppError(errors.invalidTransition, { message });

  /**
   * What follows a lifecycle entry: the view, the revision's stored copy, and on a live or
   * withdrawn document its effects (first stock, events for the bank). Each is keyed, so doing
   * it again, as the sweep does after a crash, changes nothing that was already done.
   */
  async function settle(id: string): Promise<View> {
    const view = (await docs.project(id))!;
    if (view.liveRevision !== null && !view.withdrawn) {
      await options.onApproved?.(view);
      await options.outbox.record(options.events.published, `${id}#${view.liveRevision}`, {
        [options.events.idField]: id,
        code: view.code,
        revision: view.liveRevision,
        orgUnitId: view.orgUnitId,
      });
    }
    if (view.withdrawn) await options.outbox.record(options.events.withdrawn, id, { [options.events.idField]: id, code: view.code });
    return view;
  }

  /** The lifecycle entry in the operator audit trail too, once (keyed by its position). */
  async function audit(id: string, entry: StreamEntry<LifecycleEvent>): Promise<void> {
    const e = entry.data;
    await options.audit.record(
      { id: e.actorId, role: e.actorRole as Principal['role'], orgUnitId: e.actorOrgUnitId ?? undefined },
      { action: `${docs.kind.name}.${e.action}`, targetType: docs.kind.name, targetId: id, reason: e.reason ?? undefined, detail: { revision: e.revision } },
      `${docs.kind.name}:${id}#${entry.seq}`,
    );
  }

  /**
   * Appends one lifecycle entry decided from the current head, then settles what follows it.
   * `prepare` runs after the step is marked begun and before the entry: what it takes is given
   * back (`releaseApproval`) if the entry is refused, or by the sweep if a crash comes between.
   */
  async function step(id: string, action: Action, decide: (head: StreamEntry<LifecycleEvent> | null) => LifecycleEvent, prepare?: () => Promise<void>): Promise<AdminDocument<C>> {
    const mark = await docs.begin(id);
    if (prepare) {
      await prepare().catch(async (err) => {
        await mark.done(); // refused, having given back what it took
        throw err;
      });
      options.faults.hit(`after:review.prepared`);
    }
    const { entry } = await docs.append(id, decide).catch(async (err) => {
      // Refused: nothing was written; what was prepared for it goes back.
      if (prepare) await release(id);
      await mark.done();
      throw err;
    });
    if (entry.data.content !== undefined) await docs.storeRevision(id, entry.data.revision!, entry.data.content as C, entry.data.actorId, entry.at);
    await audit(id, entry);
    options.faults.hit(`after:review.${action}`);
    const view = await settle(id);
    await mark.done();
    return toAdmin(view);
  }

  /** Gives back what an approval that was not recorded took, as the document stands now. */
  async function release(id: string): Promise<void> {
    if (!options.releaseApproval) return;
    const view = await docs.findView(id);
    if (view) await options.releaseApproval(view);
  }

  /** A step on an existing document, decided from its lifecycle state. */
  function change(
    principal: Principal,
    id: string,
    action: Action,
    decide: (state: Lifecycle) => { state: Lifecycle; revision?: number | null; reason?: string | null; diff?: LifecycleEvent['diff']; content?: C },
    prepare?: () => Promise<void>,
  ): Promise<AdminDocument<C>> {
    return step(
      id,
      action,
      (head) => {
        if (!head) throw new AppError('NOT_FOUND');
        const next = decide(head.data.state);
        return {
          action,
          actorId: principal.id,
          actorRole: principal.role,
          actorOrgUnitId: principal.orgUnitId ?? null,
          revision: next.revision ?? null,
          reason: next.reason ?? null,
          diff: next.diff ?? [],
          state: next.state,
          ...(next.content !== undefined ? { content: next.content } : {}),
        };
      },
      prepare,
    );
  }

  async function create(principal: Principal, input: C): Promise<AdminDocument<C>> {
    options.checkContent?.(input);
    await requireUnitInScope(principal, input);
    const taken = () => new AppError('CONFLICT', { message: `${label}编码 ${input.code} 已存在`, issues: [{ path: 'code', message: `${label}编码已存在` }] });
    const id = await docs.claimCode(input.code, randomUUID());
    if (!id) throw taken();
    options.faults.hit('after:review.code-claimed');
    return step(id, 'created', (head) => {
      // Someone else completed this code's document first.
      if (head) throw taken();
      return {
        action: 'created',
        actorId: principal.id,
        actorRole: principal.role,
        actorOrgUnitId: principal.orgUnitId ?? null,
        revision: 1,
        reason: null,
        diff: diffObjects({}, input),
        content: input,
        state: {
          code: input.code,
          type: input.type,
          orgUnitId: input.orgUnitId,
          revisions: 1,
          liveRevision: null,
          working: { revision: 1, state: 'draft', authorId: principal.id, submittedBy: null, reason: null },
          withdrawn: false,
        },
      };
    });
  }

  async function update(principal: Principal, id: string, input: C): Promise<AdminDocument<C>> {
    const view = await visible(principal, id);
    await requireUnitInScope(principal, input);
    if (input.code !== view.code || input.type !== view.type) {
      throw new AppError('REVIEW_IMMUTABLE_FIELD', { message: `${label}${input.code !== view.code ? '编码' : '类型'}创建后不可修改` });
    }
    if (view.withdrawn) throw invalid(`${label}已下线，不能修改`);
    if (view.working?.state === 'pending_review') throw invalid(`${label}正在审核中，审核完成后才能修改`);
    options.checkEdit?.(view, input);
    options.checkContent?.(input);
    const base = view.workingContent ?? view.live;
    const expected = (await docs.head(id))!.data.state.revisions;
    return change(principal, id, 'edited', (state) => {
      // An edit that landed meanwhile is not overwritten unseen: this one is refused instead.
      if (state.revisions !== expected) throw new AppError('CONFLICT');
      const revision = expected + 1;
      return {
        state: { ...state, orgUnitId: input.orgUnitId, revisions: revision, working: { revision, state: 'draft', authorId: principal.id, submittedBy: null, reason: null } },
        revision,
        diff: diffObjects(base, input),
        content: input,
      };
    });
  }

  function requirePending(state: Lifecycle, principal: Principal) {
    const w = state.working;
    if (!w || w.state !== 'pending_review') throw invalid(`${label}不在待审核状态`);
    // Maker-checker: whoever wrote or submitted this revision may not decide on it.
    if (w.authorId === principal.id || w.submittedBy === principal.id) throw new AppError(errors.selfReview);
    return w;
  }

  return {
    create,
    update,
    visible,
    get: async (principal: Principal, id: string) => toAdmin(await visible(principal, id)),
    listPage,

    async submit(principal: Principal, id: string): Promise<AdminDocument<C>> {
      const view = await visible(principal, id);
      if (!view.working || view.working.state === 'pending_review') throw invalid('没有待提交的修改');
      const banned = findBannedWords(view.workingContent!, options.bannedWords);
      if (banned.length) {
        throw new AppError(errors.bannedWords, {
          message: `${label}文案包含金融营销禁用词：${banned.map((b) => `${pathLabel(b.path)}（${b.message.replace('包含禁用词：', '')}）`).join('；')}`,
          issues: banned,
        });
      }
      options.checkContent?.(view.workingContent!);
      await options.checkPublishable?.(view.workingContent!);
      const revision = view.working.revision;
      return change(principal, id, 'submitted', (state) => {
        if (state.working?.revision !== revision || state.working.state === 'pending_review') throw new AppError('CONFLICT');
        return { state: { ...state, working: { ...state.working, state: 'pending_review', submittedBy: principal.id, submittedAt: clock.now(), reason: null } }, revision };
      });
    },

    async approve(principal: Principal, id: string, reason: string | undefined): Promise<AdminDocument<C>> {
      const view = await visible(principal, id);
      if (view.working?.state === 'pending_review') {
        options.checkContent?.(view.workingContent!);
        await options.checkPublishable?.(view.workingContent!);
      }
      // A checker whom the author or submitter created or promoted is not a second person.
      const pending = (await docs.head(id))?.data.state.working ?? null;
      if (pending)
        await options.independent(
          principal.id,
          [pending.authorId, pending.submittedBy].filter((m): m is string => m !== null),
        );
      // What the revision needs (a draw's mall units) is taken before the approval is recorded, so a live revision always has it.
      const content = view.working?.state === 'pending_review' ? view.workingContent : null;
      const prepare =
        options.prepareApproval && content && pending?.authorId !== principal.id && pending?.submittedBy !== principal.id
          ? () => options.prepareApproval!(view, content)
          : undefined;
      return change(
        principal,
        id,
        'approved',
        (state) => {
          const w = requirePending(state, principal);
          if (w.revision !== pending?.revision) throw new AppError('CONFLICT'); // resubmitted since the check
          return { state: { ...state, liveRevision: w.revision, working: null }, revision: w.revision, reason: reason ?? null };
        },
        prepare,
      );
    },

    async reject(principal: Principal, id: string, reason: string): Promise<AdminDocument<C>> {
      await visible(principal, id);
      return change(principal, id, 'rejected', (state) => {
        const w = requirePending(state, principal);
        return { state: { ...state, working: { ...w, state: 'rejected', reason } }, revision: w.revision, reason };
      });
    },

    async withdraw(principal: Principal, id: string, reason: string): Promise<AdminDocument<C>> {
      await visible(principal, id);
      return change(principal, id, 'withdrawn', (state) => {
        if (state.liveRevision === null || state.withdrawn) throw invalid(`只有已发布的${label}可以下线`);
        return { state: { ...state, withdrawn: true }, revision: state.liveRevision, reason };
      });
    },

    /** Finishes lifecycle steps a crash cut short after their entry: the view, the revision, the effects. */
    async recover(): Promise<number> {
      let finished = 0;
      for (const { mark, documentId } of await docs.unfinished(new Date(clock.now().getTime() - STEP_LEASE_MS))) {
        const head = await docs.head(documentId);
        if (head) {
          await audit(documentId, head); // the step cut short was, as a rule, the last one
          const view = await settle(documentId);
          // An approval cut short before it was recorded: what was taken for it goes back.
          await options.releaseApproval?.(view);
        }
        await docs.finished(mark);
        finished += 1;
      }
      return finished;
    },

    async history(principal: Principal, id: string) {
      await visible(principal, id);
      const entries = await docs.history(id);
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

    bulkUpload: createBulkUpload({ schema: options.schema, label, repository: docs, scope, create, update }),
  };
}

export type ReviewWorkflow<C extends ReviewedContent, X extends object> = ReturnType<typeof createReviewWorkflow<C, X>>;
