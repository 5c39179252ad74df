import type { OperationId } from '@shared/api';
import { OPERATIONS } from '@shared/api/operations';
import type { StaffRole } from '@shared/roles';

/**
 * What each role may do in the console. It only decides what is shown: the BFF enforces
 * every rule again, so a hidden button is a convenience, never the protection.
 */
export const PERMISSIONS = {
  'content.view': ['admin', 'reviewer'],
  'content.edit': ['admin'],
  'review.view': ['admin', 'reviewer'],
  'review.decide': ['reviewer'],
  'results.view': ['admin', 'reviewer'],
  'customers.view': ['admin', 'reviewer'],
  'customers.edit': ['admin'],
  'mall.view': ['admin', 'reviewer'],
  'mall.edit': ['admin'],
  'people.view': ['admin', 'reviewer'],
  'ops.view': ['admin', 'reviewer'],
  'steering.view': ['admin', 'reviewer'],
  'ops.replay': ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export const allows = (role: StaffRole | undefined, permission: Permission): boolean => !!role && (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);

/** Whether a role may call an operation, as its `access` in the contract says (the generated table carries it). */
export const mayCall = (role: StaffRole | undefined, operationId: OperationId): boolean => {
  const access: 'public' | readonly string[] = OPERATIONS[operationId].access;
  return !!role && (access === 'public' || access.includes(role));
};
