export const Role = {
  CUSTOMER: 'customer',
  RM: 'rm',
  ADMIN: 'admin',
  REVIEWER: 'reviewer',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const STAFF_ROLES = [Role.RM, Role.ADMIN, Role.REVIEWER] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const staffRoleNamesZh: Record<StaffRole, string> = { admin: '管理员', reviewer: '审核员', rm: '客户经理' };
