import { DrawInvariantReport, DrawPrizeCodeParams, DrawResultParams, DrawStats, ShipPrizeBody, ShipResult, WinnersPage, WinnersQuery } from '../../../shared/contracts/draws';
import { CodeUpload, CodeUploadResult } from '../../../shared/contracts/mall';
import { Role } from '../../../shared/roles';
import { toCsv } from '../platform/csv';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import type { DrawAdminService } from './admin-service';

const STAFF_READERS = [Role.ADMIN, Role.REVIEWER];

export function drawAdminRoutes(service: DrawAdminService) {
  const tags = ['admin:draws'];
  return [
    defineRoute({
      method: 'get',
      path: '/admin/draws/:id/stats',
      operationId: 'getDrawStats',
      summary: '抽奖结果：每个奖品的公示概率与实际占比、已中与剩余数量、抽奖机会收支',
      tags,
      access: STAFF_READERS,
      params: IdParams,
      responses: { 200: { description: 'Expected against actual', schema: DrawStats } },
      handler: ({ principal, params }) => service.stats(principal!, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/draws/:id/winners',
      operationId: 'listDrawWinners',
      summary: '中奖名单（脱敏，按抽奖记录编号分页）',
      tags,
      access: STAFF_READERS,
      params: IdParams,
      query: WinnersQuery,
      responses: { 200: { description: 'A page of winners', schema: WinnersPage } },
      handler: ({ principal, params, query }) => service.winners(principal!, params.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/draws/:id/winners.csv',
      operationId: 'exportDrawWinners',
      summary: '导出中奖名单 CSV（脱敏）',
      tags,
      access: STAFF_READERS,
      params: IdParams,
      responses: { 200: { description: 'Every winner, as CSV', contentType: 'text/csv' } },
      handler: async ({ principal, params, ctx }) => {
        const rows: (string | number | null)[][] = [['抽奖记录', '客户编号', '手机号', '奖品编码', '奖品', '保底', '中奖时间', '已领取', '已发货']];
        let after: string | undefined;
        do {
          const page = await service.winners(principal!, params.id, { after, limit: 500 });
          for (const w of page.items) rows.push([w.drawId, w.customerId, w.phone, w.prizeCode, w.prizeName, w.guaranteed ? '是' : '否', w.at, w.claimed ? '是' : '否', w.shipped ? '是' : '否']);
          after = page.next ?? undefined;
        } while (after);
        ctx.type = 'text/csv; charset=utf-8';
        ctx.set('Content-Disposition', `attachment; filename="winners-${params.id}.csv"`);
        ctx.body = toCsv(rows);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/draws/:id/invariants',
      operationId: 'checkDrawInvariants',
      summary: '抽奖账实核对：奖品不超量不超限、机会收支相符、每次消耗恰有一个结果、积分兑换机会与扣减相符、每个结果可复现',
      tags,
      access: STAFF_READERS,
      params: IdParams,
      responses: { 200: { description: 'What the check found', schema: DrawInvariantReport } },
      handler: ({ principal, params }) => service.invariants(principal!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/draws/:id/prizes/:prizeCode/codes',
      operationId: 'uploadDrawPrizeCodes',
      summary: '为优惠券奖品上传券码（重复券码自动跳过）',
      tags,
      access: [Role.ADMIN],
      params: DrawPrizeCodeParams,
      body: CodeUpload,
      responses: { 200: { description: 'Pool after upload', schema: CodeUploadResult } },
      handler: ({ principal, params, body }) => service.uploadCodes(principal!, params.id, params.prizeCode, body.codes),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/draw-results/:drawId/ship',
      operationId: 'shipDrawPrize',
      summary: '实物奖品发货（客户领取后；重复发货返回首次的运单）',
      tags,
      access: [Role.ADMIN],
      params: DrawResultParams,
      body: ShipPrizeBody,
      responses: { 200: { description: 'Shipped', schema: ShipResult } },
      handler: ({ principal, params, body }) => service.ship(principal!, params.drawId, body),
    }),
  ];
}
