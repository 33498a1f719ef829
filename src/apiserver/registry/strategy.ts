// What a resource is and how its writes are shaped: the registry entry that
// k8s.io/apiserver's generic Store is configured with (pkg/registry/rest create.go,
// update.go). Every write runs the same fixed pipeline (see ./pipeline.ts):
//   create: prepareForCreate -> validate -> canonicalize
//   update: prepareForUpdate -> validateUpdate -> canonicalize
// Hooks mutate an immer draft in place; validate never mutates.
import type { KubeObject } from '../object.js';
import type { FieldError } from '../validation/field-errors.js';
import type { GarbageCollectionPolicy } from './deletion.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A column of server-side printing (meta.k8s.io/v1 TableColumnDefinition). */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0 shows by default; higher priorities only with `-o wide`. */
  priority: number;
}

export interface Printer {
  columns: TableColumn[];
  /** Cells for one object, in column order. `now` is the server clock's time in ms. */
  cells(obj: KubeObject, now: number): unknown[];
}

/**
 * A field a list/watch can select on, beyond metadata.name and metadata.namespace
 * (which every resource supports). Returns the field's value as a string, as the real
 * server's field set does (e.g. `spec.unschedulable` -> "true"/"false").
 */
export type FieldGetter = (obj: KubeObject) => string | undefined;

export interface ScaleSubresource {
  /** JSON paths into the object, as CRDs declare them (".spec.replicas"). */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface Strategy {
  /** Fill defaults (the Go types' SetDefaults_*). Runs on create and on update, before prepare. */
  defaults?(obj: KubeObject): void;
  /** Clear what a client may not set on create (status for kinds with a status subresource), set generation. */
  prepareForCreate?(obj: KubeObject): void;
  /** Keep what a client may not change through this endpoint (status through the main resource). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Kind-specific validation of a new object (metadata is validated by the pipeline). */
  validate?(obj: KubeObject): FieldError[];
  /** Kind-specific validation of an update; immutable fields are checked here. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Normalise the stored form (e.g. Secret stringData folded into data). */
  canonicalize?(obj: KubeObject): void;
  /** Status subresource hooks: keep everything but status (and metadata the status writer may touch). */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * For a kind whose REST storage handles the first delete itself: the finalizers that delete
   * puts on (the CRD strategy adds customresourcecleanup.apiextensions.k8s.io, as its REST
   * storage does, without consulting the propagation policy). Later deletes take the generic path.
   */
  finalizersOnDelete?(obj: KubeObject): string[];
  /**
   * rest.GarbageCollectionDeleteStrategy: what a delete naming no propagation policy does with
   * dependents. Absent means DeleteDependents (no finalizer: background deletion).
   */
  defaultGarbageCollectionPolicy?: GarbageCollectionPolicy;
  /**
   * A Warning the kind's REST storage sends for a delete or deletecollection that names no
   * policy (batch/v1 Jobs: their pods are orphaned by default).
   */
  defaultPolicyDeleteWarning?: string;
  /**
   * Graceful deletion (rest.RESTGracefulDeleteStrategy.CheckGracefulDelete): the grace period
   * a delete gets, from the one requested (undefined when none was). Kinds without it are
   * deleted at once; a positive period leaves the object with deletionTimestamp set that far
   * ahead, until someone (the kubelet, for pods) deletes it again with a shorter one.
   */
  gracefulDeletePeriod?(obj: KubeObject, requested: number | undefined): number;
  /**
   * Whether an update that leaves an object being deleted without metadata.finalizers removes
   * it (default: yes). Namespaces also wait for spec.finalizers to empty
   * (ShouldDeleteNamespaceDuringUpdate).
   */
  readyToDelete?(obj: KubeObject): boolean;
  /**
   * Updates through a subresource other than status, each with its own prepare and validate
   * (namespaces/finalize: kube's namespaceFinalizeStrategy). Only PUT reaches them.
   */
  subresourceUpdates?: Record<string, SubresourceUpdateStrategy>;
  /** Runs after the object left storage (not on dry run): give back what it held, e.g. a Service's ClusterIP. */
  afterDelete?(obj: KubeObject): void;
  /** Whether an update without metadata.resourceVersion is allowed (true for most built-in kinds). */
  allowUnconditionalUpdate?: boolean;
  /** Whether a PUT to a missing object creates it (true for a few kinds, e.g. Lease? no; Endpoints yes). */
  allowCreateOnUpdate?: boolean;
}

export interface SubresourceUpdateStrategy {
  /** Keep what this subresource may not change (finalize keeps status). */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
}

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: "pods". */
  resource: string;
  kind: string;
  listKind: string;
  singularName: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  verbs: readonly Verb[];
  /** status and scale subresources, as discovery lists them ("pods/status"). */
  subresources?: { status?: boolean; scale?: ScaleSubresource };
  strategy: Strategy;
  /** Fields a list or watch may select on, beyond metadata.name / metadata.namespace. */
  fieldSelectors?: Record<string, FieldGetter>;
  printer?: Printer;
  /**
   * Whether metadata.generation counts spec changes. Only the strategies of kinds with a spec a
   * controller acts on set it (workloads, Jobs, CRDs, custom resources); a ConfigMap, a
   * Namespace or a Pod on a real cluster has no generation.
   */
  tracksGeneration?: boolean;
  /** Name validation for metadata.name: DNS-1123 subdomain by default. */
  nameValidation?: 'dns1123Subdomain' | 'dns1123Label' | 'path';
  /** The OpenAPI definition name of the kind ("io.k8s.api.core.v1.Pod"), for /openapi/v3. */
  openAPIDefinition?: string;
  /**
   * For a version served from another version's storage (a CRD's non-storage versions):
   * how objects cross the storage boundary. Absent means stored as served.
   */
  conversion?: Conversion;
  /** The storage this resource shares with another (events.k8s.io Events are stored as core Events). */
  storageResource?: string;
  /**
   * Drops the fields the resource's schema does not declare (a custom resource's structural
   * schema), reporting each as a path for fieldValidation. Built-in kinds are pruned against
   * their OpenAPI definition instead.
   */
  pruneUnknownFields?(obj: KubeObject): { object: KubeObject; unknown: string[] };
  /** Served from a CustomResourceDefinition (no strategic merge patch; generic metadata rules). */
  isCustomResource?: boolean;
  /**
   * Metadata validated by apimachinery's generic rules rather than the core API's: finalizer
   * names need not be standard or contain a "/" (apiextensions' own kinds, custom resources).
   */
  genericObjectMetaValidation?: boolean;
  /** A Warning header for every request to this version (a CRD version's deprecationWarning). */
  deprecationWarning?: string;
  /** The OpenAPI v3 schema of the kind, for resources without a built-in definition (custom resources). */
  openAPISchema?: Record<string, unknown>;
}

export interface Conversion {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}
