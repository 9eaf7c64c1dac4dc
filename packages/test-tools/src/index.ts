export { freePort, type PrivateRedis, startPrivateRedis } from './redis-server';
