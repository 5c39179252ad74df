export { createCustomerRepository, keyedPhoneHash, type Customer, type CustomerRepository } from './repository';
export { createCustomerService } from './service';
export { createAddressBook, maskAddress, type AddressBook } from './addresses';
export { customerRoutes } from './routes';
export { customersModule } from './module';
