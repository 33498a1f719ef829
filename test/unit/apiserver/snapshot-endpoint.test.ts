import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { setRequestUser } from '../../../src/apiserver/auth/request-user.js';
import { ALL_AUTHENTICATED, type UserInfo } from '../../../src/apiserver/auth/user.js';
import { registerSnapshotEndpoint } from '../../../src/apiserver/snapshot-endpoint.js';
import { MemoryStorage } from '../../../src/apiserver/storage/memory.js';
import { decodeSnapshot } from '../../../src/apiserver/storage/persistence/snapshot-file.js';

function server(user?: UserInfo) {
  const app = Fastify();
  // What authentication does before any handler: the request's user beside the raw request.
  if (user) app.addHook('onRequest', async (req) => setRequestUser(req.raw, user));
  const storage = new MemoryStorage();
  storage.create('secrets', 'ns/s', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } });
  registerSnapshotEndpoint(app, storage);
  return app;
}

describe('GET /kubesim/snapshot', () => {
  it('gives an administrator the whole store as a snapshot', async () => {
    const res = await server().inject({ method: 'GET', url: '/kubesim/snapshot' });
    expect(res.statusCode).toBe(200);
    const snap = decodeSnapshot(res.rawPayload, 'response');
    expect(snap.entries.map((e) => e.key)).toEqual(['ns/s']);
    expect(snap.resourceVersion).toBe(2);
  });

  it('refuses anyone else with the Forbidden a non-resource path answers', async () => {
    const res = await server({ name: 'student-1', groups: [ALL_AUTHENTICATED] }).inject({ method: 'GET', url: '/kubesim/snapshot' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, message: 'forbidden: User "student-1" cannot get path "/kubesim/snapshot"' });
  });
});
