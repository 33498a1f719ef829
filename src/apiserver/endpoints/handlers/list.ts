// LIST (k8s.io/apiserver pkg/endpoints/handlers/get.go ListResource): selectors, pagination
// over a consistent snapshot, and the resourceVersion / resourceVersionMatch semantics.
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { apiVersionOf } from '../../registry/strategy.js';
import { storageToStatus } from '../../registry/generic-store.js';
import { negotiateOutput } from '../negotiation.js';
import type { ApiRequest, ApiResponse } from '../request.js';
import { includeObjectOf, partialObjectMetadata, toTable } from '../table.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { listParamsOf, parseResourceVersion, selectionOf } from './list-options.js';

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function listHandler(r: ApiRequest): ApiResponse {
  const params = listParamsOf(r.query, false);
  const sel = selectionOf(r.rt, r.query);
  const target = negotiateOutput(r.headers.accept, true);
  const storage = r.ctx.storage;
  const namespace = r.rt.namespaced && r.info.namespace ? r.info.namespace : undefined;

  let atResourceVersion: number | undefined;
  let startAfterKey: string | undefined;
  if (params.continueToken) {
    const c = decodeContinue(params.continueToken);
    atResourceVersion = c.resourceVersion;
    startAfterKey = c.startAfterKey;
    if (c.resourceVersion < storage.oldestResourceVersion(r.store.resource)) {
      // Hand back a token that continues from the same key at the current state, as kube-apiserver does.
      const err = errors.expired(CONTINUE_EXPIRED);
      (err.status as unknown as { metadata: Record<string, string> }).metadata = {
        continue: encodeContinue(c.startAfterKey, storage.resourceVersion),
      };
      throw err;
    }
  } else if (params.resourceVersion !== undefined) {
    const rv = parseResourceVersion(params.resourceVersion);
    if (params.resourceVersionMatch === 'Exact') {
      atResourceVersion = rv;
      if (rv > storage.resourceVersion) throw errors.tooLargeResourceVersion(rv, storage.resourceVersion);
    } else if (rv > storage.resourceVersion) {
      // NotOlderThan (or legacy semantics) with a resourceVersion the store has not reached.
      throw errors.tooLargeResourceVersion(rv, storage.resourceVersion);
    }
  }

  let result;
  try {
    result = storage.list(r.store.resource, {
      namespace,
      predicate: sel.predicate,
      selector: sel.selector,
      predicateIsEverything: sel.everything,
      limit: params.limit,
      startAfterKey,
      atResourceVersion,
    });
  } catch (e) {
    throw storageToStatus(r.rt, '', e);
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(result.resourceVersion) };
  if (result.lastKey !== undefined) {
    metadata.continue = encodeContinue(result.lastKey, result.resourceVersion);
    if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  }
  const items = r.rt.conversion ? result.items.map((o) => r.store.fromStorage(o)) : result.items;
  return { code: 200, body: shapeList(r, items, metadata, target) };
}

export function shapeList(r: ApiRequest, items: readonly KubeObject[], metadata: Record<string, unknown>, target = negotiateOutput(r.headers.accept, true)): unknown {
  switch (target.as) {
    case 'Table':
      return toTable(r.rt, items, r.ctx.clock.now().getTime(), { include: includeObjectOf(r.query), version: target.version, listMeta: metadata });
    case 'PartialObjectMetadataList':
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${target.version}`,
        metadata,
        items: items.map((o) => partialObjectMetadata(o, target.version)),
      };
    default:
      return { kind: r.rt.listKind, apiVersion: apiVersionOf(r.rt), metadata, items };
  }
}
