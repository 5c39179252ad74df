export { createStaffRepository, type StaffRepository, type StaffMember } from './repository';
export { createStaffService } from './service';
export { staffRoutes } from './routes';
export { staffModule } from './module';
