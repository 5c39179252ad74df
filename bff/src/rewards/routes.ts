import { MyPrizePage, MyPrizeQuery } from '../../../shared/contracts/rewards';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { RewardEngine } from './engine';

export function rewardRoutes(engine: RewardEngine) {
  return [
    defineRoute({
      method: 'get',
      path: '/me/prizes',
      operationId: 'listMyPrizes',
      summary: '我的奖品：活动发放的卡券与礼品（积分见积分明细），新的在前',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      query: MyPrizeQuery,
      responses: { 200: { description: 'A page of prizes', schema: MyPrizePage } },
      handler: ({ principal, query }) => engine.prizesOf(principal!.id, query.before, query.limit),
    }),
  ];
}
