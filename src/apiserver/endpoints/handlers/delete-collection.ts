// DELETE on a collection (k8s.io/apiserver pkg/endpoints/handlers/delete.go
// DeleteCollection): deletes what the selectors match and answers the list of them.
import { apiVersionOf } from '../../registry/strategy.js';
import type { ApiRequest, ApiResponse } from '../request.js';
import { deleteOptionsOf } from './delete.js';
import { selectionOf } from './list-options.js';

export function deleteCollectionHandler(r: ApiRequest): ApiResponse {
  const opts = deleteOptionsOf(r);
  const sel = selectionOf(r.rt, r.query);
  const namespace = r.rt.namespaced && r.info.namespace ? r.info.namespace : undefined;
  const { items } = r.ctx.storage.list(r.store.resource, { namespace, predicate: sel.predicate });
  const deleted = [];
  for (const obj of items) {
    try {
      deleted.push(r.store.delete(obj.metadata.namespace ?? '', obj.metadata.name!, { dryRun: opts.dryRun, gracePeriodSeconds: opts.gracePeriodSeconds }).object);
    } catch {
      // Already gone (deleted between the list and now): nothing left to do for it.
    }
  }
  return {
    code: 200,
    body: { kind: r.rt.listKind, apiVersion: apiVersionOf(r.rt), metadata: { resourceVersion: String(r.ctx.storage.resourceVersion) }, items: deleted },
  };
}
