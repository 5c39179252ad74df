import type { Share, ShareChannel } from '@shared/contracts/referrals';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';
import type { WechatClient } from '@/platform/wechat/client';
import { hashId } from '@/kernel/ids';

export type Sharer = { kind: 'customer' | 'staff'; id: string };
export type SceneDoc = {
  _id: string;
  sharer: Sharer;
  activityId: string | null;
  assistId: string | null;
  /** A manager's marketing task the share carries out: arrivals through it count for the task. */
  taskId?: string | null;
  /** A piece of the content library the share opens. */
  contentId?: string | null;
  channel: ShareChannel;
  createdAt: Date;
};

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** 12 characters of base62 (71 bits): well inside WeChat's 32, and never guessed. */
function sceneIdOf(parts: string[]): string {
  let n = BigInt(`0x${hashId(parts, { length: 20 })}`);
  let out = '';
  for (let i = 0; i < 12; i++) {
    out += BASE62[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}

/** The page a share opens; it reads the scene and records the arrival. */
const LANDING = 'pages/index/index';
const ASSIST_PAGE = 'packages/referral/assist/index';
const CONTENT_PAGE = 'packages/content/view/index';

/**
 * Share scenes: one short id per sharer, activity, assist and channel, created once (its id is
 * a hash of them) and resolved on arrival. A mini-program code image of a scene is fetched
 * through the WeChat client once and kept, so posters do not call WeChat on every view.
 */
export function createScenes(deps: { db: Database; clock: Clock; wechat: WechatClient }) {
  const scenes = () => deps.db.collection<SceneDoc>('share_scenes');
  const images = () => deps.db.collection<{ _id: string; png: string; at: Date }>('share_wxacodes');

  return {
    async ensure(input: Omit<SceneDoc, '_id' | 'createdAt'>): Promise<SceneDoc> {
      // A task or a piece of content is named only when there is one, so every earlier scene keeps its id.
      const extra = input.taskId || input.contentId ? [input.taskId ?? '', input.contentId ?? ''] : [];
      const _id = sceneIdOf([input.sharer.kind, input.sharer.id, input.activityId ?? '', input.assistId ?? '', input.channel, ...extra]);
      const doc: SceneDoc = { _id, ...input, createdAt: deps.clock.now() };
      if (await insertOnce(scenes(), doc)) return doc;
      return (await scenes().findOne({ _id }))!;
    },
    find: (id: string) => scenes().findOne({ _id: id }),

    /** An assist's share opens the assist, a piece of content opens it; any other, the home page. */
    shareOf: (scene: SceneDoc): Share => ({
      scene: scene._id,
      path: scene.assistId
        ? `/${ASSIST_PAGE}?id=${scene.assistId}&scene=${scene._id}`
        : scene.contentId
          ? `/${CONTENT_PAGE}?id=${scene.contentId}&scene=${scene._id}`
          : `/${LANDING}?scene=${scene._id}`,
      wxacode: `/scenes/${scene._id}/wxacode`,
    }),

    /** The scene's mini-program code (wxacode.getUnlimited), PNG bytes. */
    async wxacode(id: string): Promise<Buffer> {
      const kept = await images().findOne({ _id: id });
      if (kept) return Buffer.from(kept.png, 'base64');
      if (!(await scenes().findOne({ _id: id }))) throw new AppError('NOT_FOUND');
      const png = await deps.wechat.getUnlimitedQrCode({ scene: id, page: LANDING, width: 430 });
      await insertOnce(images(), { _id: id, png: png.toString('base64'), at: deps.clock.now() });
      return png;
    },
  };
}

export type Scenes = ReturnType<typeof createScenes>;
