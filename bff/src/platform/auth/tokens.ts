import jwt from 'jsonwebtoken';
import type { Role } from '@shared/roles';
import type { Clock } from '../clock';
import { AppError } from '../errors';

export type AccessClaims = { sub: string; role: Role; org?: string };

const ISSUER = 'bank-private-domain-bff';
const AUDIENCE = 'bank-private-domain';

export type TokenService = {
  signAccess(claims: AccessClaims): { token: string; expiresAt: Date };
  verifyAccess(token: string): AccessClaims;
};

export function createTokenService(options: { secret: string; ttlSeconds: number; clock: Clock }): TokenService {
  const nowSeconds = () => Math.floor(options.clock.now().getTime() / 1000);
  return {
    signAccess(claims) {
      const iat = nowSeconds();
      const exp = iat + options.ttlSeconds;
      const payload = { role: claims.role, ...(claims.org ? { org: claims.org } : {}), typ: 'access', iat, exp };
      const token = jwt.sign(payload, options.secret, { algorithm: 'HS256', subject: claims.sub, issuer: ISSUER, audience: AUDIENCE });
      return { token, expiresAt: new Date(exp * 1000) };
    },
    verifyAccess(token) {
      try {
        const payload = jwt.verify(token, options.secret, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          clockTimestamp: nowSeconds(),
        }) as jwt.JwtPayload;
        if (payload.typ !== 'access' || typeof payload.sub !== 'string') throw new AppError('AUTH_TOKEN_INVALID');
        return { sub: payload.sub, role: payload.role as Role, org: payload.org as string | undefined };
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (err instanceof jwt.TokenExpiredError) throw new AppError('AUTH_TOKEN_EXPIRED');
        throw new AppError('AUTH_TOKEN_INVALID');
      }
    },
  };
}
