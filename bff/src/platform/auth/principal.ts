import type { Context } from 'koa';
import { Role } from '@shared/roles';
import { AppError } from '../errors';
import type { TokenService } from './tokens';

/** The authenticated caller: a customer, or a member of staff with their org unit. */
export type Principal = { id: string; role: Role; orgUnitId?: string };

/** A staff account as it stands now, for checking a token against it. */
export type CurrentStaff = (id: string) => Promise<{ role: Role; orgUnitId: string; disabled: boolean } | null>;

/**
 * The caller of a protected route. A staff token is only as good as the account behind it:
 * its role, unit and status are checked against the staff record on every request, so a
 * member disabled, demoted or moved loses the old token's rights at once, not at its expiry.
 */
export async function requireAuth(ctx: Context, deps: { tokens: TokenService; currentStaff: CurrentStaff }, roles: readonly Role[]): Promise<Principal> {
  const header = ctx.get('Authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError('AUTH_REQUIRED');
  const claims = deps.tokens.verifyAccess(match[1]);
  if (claims.role !== Role.CUSTOMER) {
    const member = await deps.currentStaff(claims.sub);
    if (!member || member.disabled || member.role !== claims.role || member.orgUnitId !== claims.org) throw new AppError('AUTH_TOKEN_INVALID');
  }
  const principal: Principal = { id: claims.sub, role: claims.role, orgUnitId: claims.org };
  ctx.state.principal = principal;
  if (!roles.includes(principal.role)) throw new AppError('FORBIDDEN');
  return principal;
}
