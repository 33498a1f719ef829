// core/v1 Namespace (k8s.io/kubernetes pkg/registry/core/namespace/strategy.go): created
// Active with the "kubernetes" finalizer, labelled with its own name, spec.finalizers
// changed only through the finalize subresource and status only through namespaces/status.
import { isPlainObject, type KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { validateFinalizers } from '../../../validation/object-meta.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, ensureObj, keepAllButStatus, keepStatus, str } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';

/** kubernetes.io/metadata.name: every namespace carries its own name as a label, for selectors. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

function labelWithName(ns: KubeObject): void {
  const labels = ns.metadata.labels ?? {};
  // Labels of the wrong type are left for metadata validation to report.
  if (!ns.metadata.name || !isPlainObject(labels)) return;
  ns.metadata.labels = { ...labels, [LABEL_METADATA_NAME]: ns.metadata.name };
}

const phaseOf = (ns: KubeObject): string => str(asObj(ns.status)?.phase);

/** spec.finalizers: what must still happen before a deleted namespace is removed ("kubernetes": its content is gone). */
export function specFinalizers(ns: KubeObject): string[] {
  const f = asObj(ns.spec)?.finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

function validateNamespaceStatus(ns: KubeObject): FieldError[] {
  const phase = phaseOf(ns);
  // The field path is spelled "status.Phase" by kube-apiserver too.
  if (!ns.metadata.deletionTimestamp) {
    return phase === 'Active' ? [] : [fieldError.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  }
  return phase === 'Terminating' ? [] : [fieldError.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

export function namespacesResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    singularName: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
    // Namespaces cannot be deleted as a collection.
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true },
    nameValidation: 'dns1123Label',
    openAPIDefinition: 'io.k8s.api.core.v1.Namespace',
    strategy: {
      defaults(ns) {
        labelWithName(ns);
        const status = ensureObj(ns, 'status');
        if (!status.phase) status.phase = 'Active';
      },
      prepareForCreate(ns) {
        ns.status = { phase: 'Active' };
        // The namespace controller removes "kubernetes" once the namespace's content is gone.
        const spec = ensureObj(ns, 'spec');
        const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as unknown[]) : [];
        spec.finalizers = finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'];
      },
      prepareForUpdate(ns, old) {
        const spec = ensureObj(ns, 'spec');
        const oldFinalizers = asObj(old.spec)?.finalizers;
        if (oldFinalizers === undefined) delete spec.finalizers;
        else spec.finalizers = oldFinalizers;
        keepStatus(ns, old);
      },
      validate: (ns) => validateFinalizers(asObj(ns.spec)?.finalizers, 'spec.finalizers'),
      validateUpdate: (ns) => validateFinalizers(asObj(ns.spec)?.finalizers, 'spec.finalizers'),
      // A name given through generateName is only known now, so the label is (re)set here too.
      canonicalize: (ns) => labelWithName(ns),
      prepareForStatusUpdate: (ns, old) => keepAllButStatus(ns, old),
      validateStatusUpdate: (ns) => validateNamespaceStatus(ns),
      // ShouldDeleteNamespaceDuringUpdate: a deleted namespace goes once both finalizer lists are empty.
      readyToDelete: (ns) => specFinalizers(ns).length === 0,
      subresourceUpdates: {
        // PUT namespaces/{name}/finalize (namespaceFinalizeStrategy): how the namespace
        // controller drops "kubernetes" from spec.finalizers; status is kept, and the rest of
        // the object is taken from the request, metadata checked as any update.
        finalize: {
          prepareForUpdate: (ns, old) => keepStatus(ns, old),
          validateUpdate: (ns) => validateFinalizers(asObj(ns.spec)?.finalizers, 'spec.finalizers'),
        },
      },
    },
    fieldSelectors: {
      'status.phase': phaseOf,
      // Kept by kube-apiserver for backward compatibility: "name" as well as metadata.name.
      name: (ns) => ns.metadata.name,
    },
    printer: {
      columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
      cells: (ns, now) => [ns.metadata.name, phaseOf(ns), age(ns, now)],
    },
  });
}
