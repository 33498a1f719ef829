// apiextensions.k8s.io/v1 CustomResourceDefinition (k8s.io/apiextensions-apiserver
// pkg/registry/customresourcedefinition): cluster-scoped, defaulted as SetDefaults_* default
// it, validated as ./crd-validation.ts, status written only through
// customresourcedefinitions/status (by the CRD controller), and printed by the default table
// convertor (NAME, CREATED AT), as `kubectl get crd` shows it.
import type { KubeObject } from '../../../object.js';
import type { ResourceType, TableColumn } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asArray, asObj, defaultValue, ensureObj, keepAllButStatus, str, type Obj } from '../fields.js';
import { nameColumn } from '../printing.js';
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, storageVersionOf } from './crd-helpers.js';
import { validateCRD, validateCRDStatus, validateCRDUpdate } from './crd-validation.js';

/** SetDefaults_CustomResourceDefinition (v1). */
function defaultCRD(crd: KubeObject): void {
  const spec = ensureObj(crd, 'spec');
  const names = ensureObj(spec, 'names');
  const kind = str(names.kind);
  if (!str(names.singular)) names.singular = kind.toLowerCase();
  if (!str(names.listKind) && kind) names.listKind = `${kind}List`;
  defaultValue(spec, 'conversion', { strategy: 'None' });
  // SetDefaults_ServiceReference: a conversion webhook service listens on 443 unless told otherwise.
  const service = asObj(asObj(asObj(asObj(spec.conversion)?.webhook)?.clientConfig)?.service);
  if (service) defaultValue(service, 'port', 443);
  const status = asObj(crd.status);
  const storage = storageVersionOf(crd);
  if (status && asArray(status.storedVersions).length === 0 && typeof storage?.name === 'string') status.storedVersions = [storage.name];
}

/**
 * The status a CRD starts with before the controller has looked at it: names not yet
 * accepted, no conditions (v1 serialises the nil list as null) and the storage version recorded
 * as stored.
 */
function initialStatus(crd: KubeObject): Obj {
  const storage = storageVersionOf(crd);
  return {
    conditions: null,
    acceptedNames: { plural: '', kind: '' },
    storedVersions: typeof storage?.name === 'string' ? [storage.name] : null,
  };
}

/** PrepareForUpdate: status comes from storage, plus a newly chosen storage version. */
function keepStatusAddStorage(crd: KubeObject, old: KubeObject): void {
  const oldStatus = asObj(old.status) ?? {};
  const stored = asArray(oldStatus.storedVersions).filter((v): v is string => typeof v === 'string');
  const storage = storageVersionOf(crd);
  const name = typeof storage?.name === 'string' ? storage.name : undefined;
  // A fresh object: the stored status is frozen and must not be changed in place.
  crd.status = name && !stored.includes(name) ? { ...oldStatus, storedVersions: [...stored, name] } : old.status;
  if (crd.status === undefined) delete crd.status;
}

/** The default table convertor's second column: the creation time as RFC 3339, which kubectl prints as is. */
const createdAtColumn: TableColumn = {
  name: 'Created At',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

export function customResourceDefinitionsResource(): ResourceType {
  return defineResource({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    singularName: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    namespaced: false,
    subresources: { status: true },
    tracksGeneration: true,
    openAPIDefinition: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    genericObjectMetaValidation: true,
    strategy: {
      defaults: defaultCRD,
      prepareForCreate(crd) {
        crd.status = initialStatus(crd);
      },
      prepareForUpdate: keepStatusAddStorage,
      validate: validateCRD,
      validateUpdate: validateCRDUpdate,
      // Kubernetes resets nothing but spec here (ResetObjectMetaForStatus is handed the new
      // object twice), so a status write may still change labels and annotations.
      prepareForStatusUpdate: (crd, old) => keepAllButStatus(crd, old),
      validateStatusUpdate: validateCRDStatus,
      // The CRD REST storage adds its cleanup finalizer on delete, so the custom resources go first.
      finalizersOnDelete(crd) {
        const finalizers = crd.metadata.finalizers ?? [];
        return finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER) ? [...finalizers] : [...finalizers, CUSTOM_RESOURCE_CLEANUP_FINALIZER];
      },
      // CRDs must be updated with a resourceVersion (AllowUnconditionalUpdate is false).
      allowUnconditionalUpdate: false,
    },
    printer: {
      columns: [nameColumn, createdAtColumn],
      cells(crd) {
        const t = Date.parse(crd.metadata.creationTimestamp ?? '');
        // metav1.Time's zero value prints as the zero time, as the convertor formats it.
        return [crd.metadata.name, Number.isNaN(t) ? '0001-01-01T00:00:00Z' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')];
      },
    },
  });
}
