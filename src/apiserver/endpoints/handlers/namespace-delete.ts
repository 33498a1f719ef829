// DELETE of a Namespace: kube-apiserver's namespace REST overrides Delete (see
// registry/builtin/core/namespace-deletion.ts) and answers the namespace itself, whether it was
// only marked Terminating or removed (ReturnDeletedObject), never a Status.
import { deleteNamespace } from '../../registry/builtin/core/namespace-deletion.js';
import type { ApiRequest, ApiResponse } from '../request.js';
import { deleteOptionsOf } from './delete.js';
import { outputObject } from './output.js';

export function namespaceDeleteHandler(r: ApiRequest): ApiResponse {
  const opts = deleteOptionsOf(r);
  const { object } = deleteNamespace({ store: r.store, clock: r.ctx.clock, name: r.info.name, ...opts });
  return { code: 200, body: outputObject(r, object) };
}
