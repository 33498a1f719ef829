// DELETE on a collection (k8s.io/apiserver pkg/endpoints/handlers/delete.go DeleteCollection and
// the generic store's DeleteCollection): every object the selectors match gets the same delete
// with the full DeleteOptions (propagation, grace period, preconditions, dryRun); the answer is
// the list as it was before the deletes. With a limit, only that one page is deleted, and its
// continue token says where the rest starts.
import { isStatusError } from '../../errors.js';
import { storageToStatus } from '../../registry/generic-store.js';
import { apiVersionOf } from '../../registry/strategy.js';
import type { ApiRequest, ApiResponse } from '../request.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { defaultPolicyWarnings, deleteOptionsOf } from './delete.js';
import { listParamsOf, selectionOf } from './list-options.js';

export function deleteCollectionHandler(r: ApiRequest): ApiResponse {
  // ListOptions are read and validated before DeleteOptions, as the real handler does.
  const params = listParamsOf(r.query, false);
  const sel = selectionOf(r.rt, r.query);
  const opts = deleteOptionsOf(r);
  const warnings = defaultPolicyWarnings(r, opts);
  const namespace = r.rt.namespaced && r.info.namespace ? r.info.namespace : undefined;
  let listed;
  try {
    listed = r.ctx.storage.list(r.store.resource, {
      namespace,
      predicate: sel.predicate,
      selector: sel.selector,
      predicateIsEverything: sel.everything,
      limit: params.limit,
      startAfterKey: params.continueToken ? decodeContinue(params.continueToken).startAfterKey : undefined,
    });
  } catch (e) {
    throw storageToStatus(r.rt, '', e);
  }
  const items = listed.items.map((o) => r.store.fromStorage(o));
  for (const obj of items) {
    try {
      r.store.delete(obj.metadata.namespace ?? '', obj.metadata.name!, opts);
    } catch (e) {
      // Gone between the list and its delete is fine; anything else (a failed precondition)
      // stops the collection delete with that error, as the store's workers do.
      if (!(isStatusError(e) && e.code === 404)) throw e;
    }
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(listed.resourceVersion) };
  if (listed.lastKey !== undefined) metadata.continue = encodeContinue(listed.lastKey, listed.resourceVersion);
  return {
    code: 200,
    body: { kind: r.rt.listKind, apiVersion: apiVersionOf(r.rt), metadata, items },
    ...(warnings ? { warnings } : {}),
  };
}
