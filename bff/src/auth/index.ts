export { createAuthRepository, type AuthRepository } from './repository';
export { createAuthService, type AuthService } from './service';
export { authRoutes } from './routes';
export { hashPassword } from './password';
export { authModule } from './module';
