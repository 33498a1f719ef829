// kubesim's own GET /kubesim/snapshot (not a Kubernetes API): the whole store as a snapshot
// file, for `kubesim snapshot save FILE` to keep a prepared lesson or test scenario and
// `kubesim serve --restore FILE` to start from it. It holds every Secret and token, so only an
// administrator (system:masters, as the kubeconfig kubesim writes is) may read it; anyone else
// gets the Forbidden a non-resource path answers in kube-apiserver.
import type { FastifyInstance } from 'fastify';
import { requestUser } from './auth/request-user.js';
import { SYSTEM_MASTERS } from './auth/user.js';
import type { MemoryStorage } from './storage/memory.js';
import { snapshotOf } from './storage/persistence/attach.js';

export const SNAPSHOT_PATH = '/kubesim/snapshot';

export function registerSnapshotEndpoint(app: FastifyInstance, storage: MemoryStorage): void {
  app.get(SNAPSHOT_PATH, (req, reply) => {
    const user = requestUser(req.raw);
    if (!user.groups.includes(SYSTEM_MASTERS)) {
      const message = `forbidden: User "${user.name}" cannot get path "${SNAPSHOT_PATH}"`;
      return reply
        .code(403)
        .header('content-type', 'application/json')
        .send(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details: {}, code: 403 }));
    }
    return reply.header('content-type', 'application/octet-stream').header('cache-control', 'no-store').send(snapshotOf(storage));
  });
}
