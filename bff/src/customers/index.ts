export { createCustomerRepository, keyedPhoneHash, type Customer, type CustomerRepository } from './repository';
export { createCustomerService } from './service';
export { customerRoutes } from './routes';
export { customersModule } from './module';
