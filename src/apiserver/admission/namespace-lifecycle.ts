// The NamespaceLifecycle admission plugin (k8s.io/apiserver pkg/admission/plugin/namespace/
// lifecycle): run on every write before the handler. default, kube-system and kube-public may
// not be deleted; nothing is created or updated in a namespace that does not exist; nothing
// new is created in a namespace being terminated. Deletes inside a namespace are always allowed
// (the namespace controller needs them), and cluster-scoped kinds are not its business.
import * as errors from '../errors.js';
import { isPlainObject } from '../object.js';
import { mediaType, parseBody } from '../endpoints/decode.js';
import { APPLY_PATCH_TYPE } from '../endpoints/handlers/apply.js';
import type { ApiRequest } from '../endpoints/request.js';

/** The namespaces the plugin is registered with (metav1.NamespaceDefault, NamespaceSystem, NamespacePublic). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

/** v1.NamespaceTerminatingCause: what clients (event recorders, controllers) look for to drop such a write quietly. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

type Operation = 'create' | 'update' | 'delete';

const OPERATIONS: Record<string, Operation> = { create: 'create', update: 'update', patch: 'update', delete: 'delete', deletecollection: 'delete' };

export function admitNamespaceLifecycle(r: ApiRequest): void {
  const operation = OPERATIONS[r.info.verb];
  if (!operation) return;
  const { rt, info } = r;
  const gr = { group: rt.group, resource: rt.resource };
  if (rt.group === '' && rt.resource === 'namespaces') {
    if (operation === 'delete' && IMMORTAL_NAMESPACES.has(info.name)) throw errors.forbidden(gr, info.name, 'this namespace may not be deleted');
    return;
  }
  if (!rt.namespaced || !info.namespace || operation === 'delete') return;
  const namespace = r.ctx.storage.get('namespaces', info.namespace);
  if (!namespace) throw errors.notFound({ group: '', resource: 'namespaces' }, info.namespace);
  const phase = isPlainObject(namespace.status) ? namespace.status.phase : undefined;
  if (phase !== 'Terminating' || !(operation === 'create' || putCreates(r))) return;
  const err = errors.forbidden(gr, info.name || nameInBody(r), `unable to create new content in namespace ${info.namespace} because it is being terminated`);
  err.status.details!.causes = [{ reason: NAMESPACE_TERMINATING_CAUSE, message: `namespace ${info.namespace} is being terminated`, field: 'metadata.namespace' }];
  throw err;
}

/**
 * A PUT of an object that does not exist is admitted as a create (the update handler's create
 * transformer), and so is a server-side apply of one (the patch handler's applyPatcher creates).
 */
export function putCreates(r: ApiRequest): boolean {
  const creating = r.info.verb === 'update' || (r.info.verb === 'patch' && mediaType(r.headers['content-type']) === APPLY_PATCH_TYPE);
  return creating && !r.info.subresource && !r.ctx.storage.get(r.store.resource, r.store.key(r.info.namespace, r.info.name));
}

/** The name a create names in its body (empty for generateName), for the Forbidden message, as admission.NewForbidden finds it. */
function nameInBody(r: ApiRequest): string {
  try {
    const body = parseBody(r.body, r.headers['content-type']);
    const name = isPlainObject(body) && isPlainObject(body.metadata) ? body.metadata.name : undefined;
    return typeof name === 'string' ? name : '';
  } catch {
    // An unreadable body is refused for its own reason once admitted; here it only lacks a name.
    return '';
  }
}
