export const Role = {
  CUSTOMER: 'customer',
  RM: 'rm',
  ADMIN: 'admin',
  REVIEWER: 'reviewer',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const STAFF_ROLES = [Role.RM, Role.ADMIN, Role.REVIEWER] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
