// Object metadata every controller writes the same way: timestamps and the controller
// ownerReference (k8s.io/apimachinery metav1.Time and metav1.NewControllerRef).
import type { KubeObject, OwnerReference } from './types.js';

/** metav1.Time: RFC 3339 in UTC, whole seconds. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The ownerReference that makes `owner` the controller of what it creates (controller and
 * blockOwnerDeletion true). The type defaults to the owner's own apiVersion and kind.
 */
export function newControllerRef(owner: KubeObject, type: { apiVersion: string; kind: string } = { apiVersion: owner.apiVersion ?? '', kind: owner.kind ?? '' }): OwnerReference {
  return {
    apiVersion: type.apiVersion,
    kind: type.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
