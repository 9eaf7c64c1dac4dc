import { bodyObject, type RestRoute } from './route';

/**
 * The legacy `/api/v1` surface. Each line calls the same tRPC procedure as the typed API, through
 * createCaller, so auth, validation and errors are shared.
 */
export const restRoutes: RestRoute[] = [
  { method: 'GET', path: '/api/v1/auth/me', call: (c) => c.auth.me() },

  {
    method: 'POST',
    path: '/api/v1/ai/admin/keys',
    status: 201,
    call: (c, i) => c.admin.keys.create(bodyObject(i.body) as never),
  },
  { method: 'GET', path: '/api/v1/ai/admin/keys', call: (c) => c.admin.keys.list() },
  {
    method: 'DELETE',
    path: '/api/v1/ai/admin/keys/:key_id',
    call: (c, i) => c.admin.keys.revoke({ key_id: i.params.key_id as string }),
  },
];
