export { healthRoutes } from './routes';

