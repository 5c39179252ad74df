import { AdjustmentRequest, InvariantQuery, InvariantReport, LedgerPage, LedgerQuery, PointsAdjustment, PointsBalance } from '../../../shared/contracts/points';
import { Role } from '../../../shared/roles';
import { approvalReviewRoutes, decisionLinks } from '../kernel/approval-routes';
import { defineRoute } from '../platform/http/routes';
import type { PointsService } from './service';

export function pointsRoutes(service: PointsService) {
  return [
    defineRoute({
      method: 'get',
      path: '/me/points',
      operationId: 'getMyPoints',
      summary: '我的积分余额与即将过期积分',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Balance', schema: PointsBalance } },
      handler: ({ principal }) => service.balance(principal!.id),
    }),
    defineRoute({
      method: 'get',
      path: '/me/points/ledger',
      operationId: 'getMyPointsLedger',
      summary: '我的积分明细（新到旧，分页）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      query: LedgerQuery,
      responses: { 200: { description: 'A page of entries', schema: LedgerPage } },
      handler: ({ principal, query }) => service.page(principal!.id, query.beforeSeq, query.limit, query.direction),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/points/adjustments',
      operationId: 'requestPointsAdjustment',
      summary: '发起人工积分调整（需审核员审批后生效）',
      tags: ['admin:points'],
      access: [Role.ADMIN],
      body: AdjustmentRequest,
      responses: { 201: { description: 'Pending approval', schema: PointsAdjustment, links: decisionLinks('PointsAdjustment') } },
      handler: ({ principal, body }) => service.requestAdjustment(principal!, body),
    }),
    ...approvalReviewRoutes({
      path: '/admin/points/adjustments',
      noun: 'PointsAdjustment',
      label: '积分调整',
      tag: 'admin:points',
      schema: PointsAdjustment,
      pending: service.pendingAdjustments,
      approve: service.approveAdjustment,
      reject: service.rejectAdjustment,
    }),
    defineRoute({
      method: 'get',
      path: '/admin/invariants',
      operationId: 'checkInvariants',
      summary: '核对积分与预算不变量：流水之和等于余额、无负余额、序号连续、预算发放数等于已发奖励',
      tags: ['admin:points'],
      access: [Role.ADMIN, Role.REVIEWER],
      query: InvariantQuery,
      responses: {
        200: {
          description:
            'With customerId or activityId: that account or activity, checked now from its first entry. Without: the accounts and budgets changed since their last check, checked from there (one pass; `upToDate` false means the maintenance job has more to do), and every violation any check has stored.',
          schema: InvariantReport,
        },
      },
      handler: ({ principal, query }) => service.checkInvariants(principal!, query),
    }),
  ];
}
