// The 403 kube-apiserver answers when no authorizer allows a request
// (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage +
// apierrors.NewForbidden): `pods is forbidden: User "x" cannot list resource "pods" in API
// group "" in the namespace "y"`, the authorizer's reason after a colon when it gave one.
import { StatusError } from '../errors.js';
import * as errors from '../errors.js';
import type { Attributes } from './authorizer.js';

export function forbiddenMessage(attrs: Attributes): string {
  const user = attrs.user.name;
  if (!attrs.isResourceRequest) return `User ${JSON.stringify(user)} cannot ${attrs.verb} path ${JSON.stringify(attrs.path ?? '')}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : (attrs.resource ?? '');
  const where = attrs.namespace ? `in the namespace ${JSON.stringify(attrs.namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(user)} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup ?? '')} ${where}`;
}

export function forbiddenError(attrs: Attributes, reason: string): StatusError {
  const message = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  if (!attrs.isResourceRequest || !attrs.resource) {
    // NewForbidden with an empty GroupResource: "forbidden: ..." and empty details.
    return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `forbidden: ${message}`, reason: 'Forbidden', details: {}, code: 403 });
  }
  return errors.forbidden({ group: attrs.apiGroup ?? '', resource: attrs.resource }, attrs.name ?? '', message);
}
