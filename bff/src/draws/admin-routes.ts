import { drawsApi } from '@shared/contracts/draws';
import { toCsv } from '@/platform/csv';
import { bankTime } from '@/platform/time';
import { implement } from '@/platform/http/routes';
import type { DrawAdminService } from './admin-service';

export function drawAdminRoutes(service: DrawAdminService) {
  return [
    implement(drawsApi.getDrawStats, ({ principal, params }) => service.stats(principal, params.id)),
    implement(drawsApi.listDrawWinners, ({ principal, params, query }) => service.winners(principal, params.id, { ...query, addresses: true })),
    implement(drawsApi.exportDrawWinners, async ({ principal, params, ctx }) => {
      const rows: (string | number | null)[][] = [['抽奖记录', '客户编号', '手机号', '奖品编码', '奖品', '保底', '中奖时间', '已领取', '已发货']];
      let after: string | undefined;
      do {
        // A file leaves the console's control: no addresses in it (they are shipped from the list).
        const page = await service.winners(principal, params.id, { after, limit: 500, addresses: false });
        for (const w of page.items)
          rows.push([
            w.drawId,
            w.customerId,
            w.phone,
            w.prizeCode,
            w.prizeName,
            w.guaranteed ? '是' : '否',
            bankTime(new Date(w.at)),
            w.claimed ? '是' : '否',
            w.shipped ? '是' : '否',
          ]);
        after = page.next ?? undefined;
      } while (after);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="winners-${params.id}.csv"`);
      ctx.body = toCsv(rows);
    }),
    implement(drawsApi.checkDrawInvariants, ({ principal, params, query }) => service.invariants(principal, params.id, query.cursor, query.limit)),
    implement(drawsApi.uploadDrawPrizeCodes, ({ principal, params, body }) => service.uploadCodes(principal, params.id, params.prizeCode, body.codes)),
    implement(drawsApi.shipDrawPrize, ({ principal, params, body }) => service.ship(principal, params.drawId, body)),
  ];
}
