export { createAuthRepository, type AuthRepository } from './repository';
export { createAuthService, type AuthService } from './service';
export { authRoutes } from './routes';
export { authModule } from './module';
