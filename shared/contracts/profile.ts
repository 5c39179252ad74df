import { z } from 'zod';
import { trimmedText } from './common';
import { MallOrder } from './mall';
import { LedgerPage, PointsBalance } from './points';
import { MyPrizePage } from './rewards';
import { ApprovalFields, pendingApprovalFields } from './review';

/** A customer's own profile; personal data arrives masked. */
export const CustomerProfile = z
  .object({
    id: z.string(),
    customerNo: z.string(),
    nickname: z.string().nullable(),
    maskedName: z.string().nullable(),
    maskedPhone: z.string().nullable(),
    phoneBound: z.boolean(),
    personalized: z.boolean().describe('Off: no personalised marketing is shown'),
    tier: z.string().nullable().describe('The value tier the bank reported (V0 … V5); null until it has'),
    memberSince: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'CustomerProfile' });
export type CustomerProfile = z.infer<typeof CustomerProfile>;

export const StaffProfile = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(['rm', 'admin', 'reviewer']),
    orgUnitId: z.string(),
    maskedName: z.string(),
  })
  .meta({ id: 'StaffProfile' });
export type StaffProfile = z.infer<typeof StaffProfile>;

export const StaffRoleSchema = z.enum(['rm', 'admin', 'reviewer']);

export const CreateStaffRequest = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9_.-]{3,32}$/, '用户名为 3-32 位小写字母、数字或 _.-'),
  password: z.string().min(10, '密码至少 10 位').max(128),
  role: StaffRoleSchema,
  orgUnitId: z.string().min(1).max(64),
  name: trimmedText(1).max(32),
});

export const UpdateStaffRequest = z
  .object({
    role: StaffRoleSchema.optional(),
    orgUnitId: z.string().min(1).max(64).optional(),
    disabled: z.boolean().optional(),
    reason: trimmedText(1).max(500),
  })
  .refine((u) => u.role !== undefined || u.orgUnitId !== undefined || u.disabled !== undefined, { message: '没有要修改的内容' })
  // The same rule, for the document: at least one of the changes.
  .meta({ anyOf: [{ required: ['role'] }, { required: ['orgUnitId'] }, { required: ['disabled'] }] });

/** A request for staff access, waiting for (or decided by) a second head-office admin. */
export const StaffGrantView = ApprovalFields.extend({
  kind: z.enum(['create', 'update']),
  staffId: z.string().describe('The account created, or the one changed'),
  username: z.string().nullable(),
  role: StaffRoleSchema.nullable(),
  orgUnitId: z.string().nullable(),
  maskedName: z.string().nullable(),
  disabled: z.boolean().nullable(),
}).meta({ id: 'StaffGrant' });
export type StaffGrantView = z.infer<typeof StaffGrantView>;
export const PendingStaffGrant = StaffGrantView.extend({
  ...pendingApprovalFields,
  maskedName: z.string().describe('The member the request is about'),
  orgUnitName: z.string().describe('Their unit once approved'),
  currentRole: StaffRoleSchema.nullable().describe('For a change: their role now'),
  currentOrgUnitName: z.string().nullable().describe('For a change: their unit now'),
}).meta({ id: 'PendingStaffGrant' });

/**
 * An order as service staff see it: what was redeemed and where it stands, never the coupon
 * code or voucher number, which are the customer's to show at a counter (staff see what their
 * job needs).
 */
export const ServiceOrder = MallOrder.extend({
  coupon: z.object({ name: z.string(), validUntil: z.string() }).nullable().describe('A coupon was issued; its code is not shown to staff'),
  perk: z.object({ instructions: z.string() }).nullable().describe('A perk voucher was issued; its number is not shown to staff'),
}).meta({ id: 'ServiceOrder' });
export type ServiceOrder = z.infer<typeof ServiceOrder>;

/** What service staff see of one customer (客户服务): masked profile, points, recent orders and prizes. */
export const CustomerOverview = z
  .object({
    profile: CustomerProfile,
    points: PointsBalance,
    ledger: LedgerPage.describe('Newest first, the latest 20'),
    orders: z.object({ items: z.array(ServiceOrder), nextBefore: z.number().int().nullable() }).describe('Newest first, the latest 20; no codes or voucher numbers'),
    prizes: MyPrizePage.describe('Newest first, the latest 20'),
  })
  .meta({ id: 'CustomerOverview' });
