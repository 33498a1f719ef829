// The storage layer's contract (k8s.io/apiserver pkg/storage/interfaces.go, reduced to
// what an in-memory store needs). Objects are keyed by resource ("deployments.apps") and
// by "namespace/name" (or "name" when cluster-scoped), ordered as etcd orders keys.
// The in-memory store is synchronous: each call runs to completion on the event loop,
// so "guaranteed update" needs no retry loop; a stale resourceVersion is a conflict.
import type { KubeObject } from '../object.js';
import type { FieldRequirement, LabelRequirement } from './selectors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One committed change, as the watch cache keeps it. `object` carries the event's resourceVersion. */
export interface StoreEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: string;
  readonly key: string;
  readonly object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly prevObject?: KubeObject;
  readonly resourceVersion: number;
}

/** Decides whether an object is visible to a list or watch (namespace, name, labels, fields). */
export type Predicate = (obj: KubeObject) => boolean;

/**
 * The parsed requirements behind a list's predicate, so the store can start from an index
 * (label key=value, metadata.name) instead of visiting every object, as the cacher does with
 * its indexers and a SelectionPredicate's MatchesSingle. Only a hint: every requirement must be
 * implied by the predicate, which still decides each object.
 */
export interface SelectorRequirements {
  labels?: readonly LabelRequirement[];
  fields?: readonly FieldRequirement[];
}

export interface ListOptions {
  /** Restrict to one namespace (namespaced resources). */
  namespace?: string;
  predicate?: Predicate;
  /** What the predicate requires, for the store's indexes. */
  selector?: SelectorRequirements;
  /** True when predicate selects everything, so remainingItemCount can be computed. */
  predicateIsEverything?: boolean;
  limit?: number;
  /** Continue after this key (exclusive), from a decoded continue token. */
  startAfterKey?: string;
  /** Read the state as of this resourceVersion (continue tokens, resourceVersionMatch=Exact). */
  atResourceVersion?: number;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: number;
  /** Key of the last item returned when more items remain. */
  lastKey?: string;
  remainingItemCount?: number;
}

export interface WatchOptions {
  namespace?: string;
  predicate?: Predicate;
  /** Deliver events after this resourceVersion; undefined starts from now. */
  sinceResourceVersion?: number;
  /** Send the current state as synthetic ADDED events first (watch with rv unset or "0", or sendInitialEvents). */
  sendInitialState?: boolean;
}

/**
 * A delivered watch event; `source` is the stored event when the event is delivered unchanged
 * (for cached serialisation). Shared by every watcher that gets it unchanged: never modify one.
 */
export interface DeliveredEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
  readonly source?: StoreEvent;
}

export interface WatchHandle {
  /** The resourceVersion the watch is at once initial events (if any) were delivered. */
  readonly startResourceVersion: number;
  stop(): void;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface Storage {
  /** The newest resourceVersion committed, across all resources. */
  readonly resourceVersion: number;
  get(resource: string, key: string): KubeObject | undefined;
  list(resource: string, opts?: ListOptions): ListResult;
  count(resource: string, namespace?: string): number;
  /** Stores a new object; throws AlreadyExists (as a StoreConflict) if the key is taken. */
  create(resource: string, key: string, obj: KubeObject): KubeObject;
  /** Replaces an existing object. `expectedResourceVersion` enforces optimistic concurrency. */
  update(resource: string, key: string, obj: KubeObject, expectedResourceVersion?: string): KubeObject;
  delete(resource: string, key: string, preconditions?: Preconditions): KubeObject;
  watch(resource: string, opts: WatchOptions, onEvent: (ev: DeliveredEvent) => void): WatchHandle;
  /** The oldest resourceVersion a watch or an Exact list of this resource can start from. */
  oldestResourceVersion(resource: string): number;
}

/** Storage-level failures; handlers turn them into Status errors naming the resource. */
export class StorageError extends Error {
  constructor(
    readonly code: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'TooLargeResourceVersion' | 'InvalidPrecondition',
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
