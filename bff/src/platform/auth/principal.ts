import type { Context } from 'koa';
import type { Role } from '../../../../shared/roles';
import { AppError } from '../errors';
import type { TokenService } from './tokens';

/** The authenticated caller: a customer, or a member of staff with their org unit. */
export type Principal = { id: string; role: Role; orgUnitId?: string };

export function requireAuth(ctx: Context, tokens: TokenService, roles: readonly Role[]): Principal {
  const header = ctx.get('Authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError('AUTH_REQUIRED');
  const claims = tokens.verifyAccess(match[1]);
  const principal: Principal = { id: claims.sub, role: claims.role, orgUnitId: claims.org };
  ctx.state.principal = principal;
  if (!roles.includes(principal.role)) throw new AppError('FORBIDDEN');
  return principal;
}
