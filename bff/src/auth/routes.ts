import { authApi } from '@shared/contracts/auth';
import { implement } from '@/platform/http/routes';
import type { AuthService } from './service';

export function authRoutes(service: AuthService) {
  return [
    implement(authApi.loginWithWechat, ({ body, ctx }) => service.loginWithWechat(body.code, ctx.ip)),
    implement(authApi.loginStaff, ({ body, ctx }) => service.loginStaff(body.username, body.password, ctx.ip)),
    implement(authApi.refreshSession, ({ body, ctx }) => service.refresh(body.refreshToken, ctx.ip)),
    implement(authApi.logout, async ({ body }) => {
      await service.logout(body.refreshToken);
    }),
  ];
}
