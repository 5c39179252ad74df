export * from './errors';
export * from './roles';
export * from './events';
export * from './masking';
export * from './contracts/common';
export * from './contracts/auth';
export * from './contracts/profile';
