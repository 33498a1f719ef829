// The decisions of a DELETE, as pure functions: whether the object goes now or is only marked
// (deletionTimestamp) while finalizers or a grace period hold it, and which garbage-collector
// finalizers (orphan, foregroundDeletion) the delete options put on it. Mirrors
// k8s.io/apiserver pkg/registry/rest/delete.go (BeforeDelete), pkg/registry/generic/registry/
// store.go (Delete, updateForGracefulDeletionAndFinalizers, deletionFinalizersForGarbageCollection,
// shouldOrphanDependents, shouldDeleteDependents, markAsDeleting) and
// pkg/apis/meta/v1/validation ValidateDeleteOptions.
import type { ObjectMeta } from '../object.js';
import type { Preconditions } from '../storage/interface.js';
import { fieldError, type FieldError } from '../validation/field-errors.js';

/** metav1.FinalizerOrphanDependents and metav1.FinalizerDeleteDependents. */
export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export const PROPAGATION_POLICIES = ['Foreground', 'Background', 'Orphan'] as const;
export type PropagationPolicy = (typeof PROPAGATION_POLICIES)[number];

/**
 * rest.GarbageCollectionPolicy: what a delete that names no policy does with dependents.
 * DeleteDependents (the default) adds no finalizer; OrphanDependents adds `orphan`;
 * Unsupported (Events) never carries either finalizer.
 */
export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents' | 'Unsupported';

/** metav1.DeleteOptions as the server uses them; propagationPolicy is checked by validateDeleteOptions. */
export interface DeleteOptions {
  dryRun: boolean;
  preconditions?: Preconditions;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  /** Deprecated form of propagationPolicy: true is Orphan, false is Background-or-Foreground. */
  orphanDependents?: boolean;
}

/** ValidateDeleteOptions: field paths and details as kube-apiserver reports them (422, DeleteOptions.meta.k8s.io ""). */
export function validateDeleteOptions(opts: Pick<DeleteOptions, 'propagationPolicy' | 'orphanDependents'>): FieldError[] {
  const errs: FieldError[] = [];
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    errs.push(fieldError.invalid('propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (opts.propagationPolicy !== undefined && !(PROPAGATION_POLICIES as readonly string[]).includes(opts.propagationPolicy)) {
    errs.push(fieldError.notSupported('propagationPolicy', opts.propagationPolicy, [...PROPAGATION_POLICIES, 'nil']));
  }
  return errs;
}

type PolicyOptions = Pick<DeleteOptions, 'propagationPolicy' | 'orphanDependents'>;

/** shouldOrphanDependents: the options first, then a finalizer already there, then the kind's default. */
export function shouldOrphanDependents(finalizers: readonly string[], opts: PolicyOptions, policy: GarbageCollectionPolicy): boolean {
  if (policy === 'Unsupported') return false;
  if (opts.orphanDependents !== undefined) return opts.orphanDependents;
  if (opts.propagationPolicy === 'Orphan') return true;
  if (opts.propagationPolicy === 'Background' || opts.propagationPolicy === 'Foreground') return false;
  for (const f of finalizers) {
    if (f === FINALIZER_ORPHAN) return true;
    if (f === FINALIZER_FOREGROUND) return false;
  }
  return policy === 'OrphanDependents';
}

/** shouldDeleteDependents: Foreground asked for, or a foregroundDeletion finalizer kept; never a default. */
export function shouldDeleteDependents(finalizers: readonly string[], opts: PolicyOptions, policy: GarbageCollectionPolicy): boolean {
  if (policy === 'Unsupported') return false;
  // The legacy boolean, either way, means "not foreground".
  if (opts.orphanDependents !== undefined) return false;
  if (opts.propagationPolicy === 'Foreground') return true;
  if (opts.propagationPolicy === 'Background' || opts.propagationPolicy === 'Orphan') return false;
  for (const f of finalizers) {
    if (f === FINALIZER_FOREGROUND) return true;
    if (f === FINALIZER_ORPHAN) return false;
  }
  return false;
}

/**
 * deletionFinalizersForGarbageCollection: the object's finalizers with orphan / foregroundDeletion
 * put in or taken out as the options (or the default) ask. `changed` compares as sets, so a
 * mere reordering is no change.
 */
export function deletionFinalizers(finalizers: readonly string[], opts: PolicyOptions, policy: GarbageCollectionPolicy): { changed: boolean; finalizers: string[] } {
  const next = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (shouldOrphanDependents(finalizers, opts, policy)) next.push(FINALIZER_ORPHAN);
  if (shouldDeleteDependents(finalizers, opts, policy)) next.push(FINALIZER_FOREGROUND);
  const before = new Set(finalizers);
  const after = new Set(next);
  const changed = before.size !== after.size || [...after].some((f) => !before.has(f));
  return changed ? { changed, finalizers: next } : { changed, finalizers: [...finalizers] };
}

/** What the store does with the object a DELETE names. */
export type DeletePlan =
  /** Remove it from storage now. */
  | { action: 'delete' }
  /** Leave it as it is (a graceful deletion already under way that this request may not shorten). */
  | { action: 'keep' }
  /** Write these metadata fields and keep the object: finalizers or a grace period hold it. */
  | { action: 'mark'; metadata: Pick<ObjectMeta, 'deletionTimestamp' | 'deletionGracePeriodSeconds' | 'finalizers' | 'generation'> };

export interface DeleteDecisionInput {
  metadata: ObjectMeta;
  options: Pick<DeleteOptions, 'gracePeriodSeconds' | 'propagationPolicy' | 'orphanDependents'>;
  /** The kind's default when the options name no policy (absent: DeleteDependents). */
  policy?: GarbageCollectionPolicy;
  /**
   * The grace period a kind with graceful deletion gives this delete (pods: CheckGracefulDelete),
   * from the one requested; absent for kinds deleted at once.
   */
  gracefulPeriod?: (requested: number | undefined) => number;
  /**
   * The finalizers a kind whose REST storage handles the first delete itself puts on
   * (CustomResourceDefinitions: customresourcecleanup). That first delete only sets
   * deletionTimestamp and these finalizers; the options' policy is not consulted.
   */
  finalizersOnFirstDelete?: () => string[];
  /** The server clock, in ms. */
  now: number;
}

const toTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Decides a DELETE the way the generic store does; see DeletePlan. */
export function planDelete(input: DeleteDecisionInput): DeletePlan {
  const { metadata: m, options, now } = input;
  const policy = input.policy ?? 'DeleteDependents';
  const existing = m.deletionTimestamp ? Date.parse(m.deletionTimestamp) : undefined;

  if (input.finalizersOnFirstDelete && existing === undefined) {
    return { action: 'mark', metadata: { deletionTimestamp: toTimestamp(now), deletionGracePeriodSeconds: m.deletionGracePeriodSeconds, finalizers: input.finalizersOnFirstDelete(), generation: m.generation } };
  }

  // BeforeDelete: a negative grace period counts as 1 s.
  const requested = options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0 ? 1 : options.gracePeriodSeconds;
  let deletionTimestamp = existing;
  let grace = m.deletionGracePeriodSeconds !== undefined && m.deletionGracePeriodSeconds < 0 ? 1 : m.deletionGracePeriodSeconds;
  let generation = m.generation;
  let graceful = false;
  if (input.gracefulPeriod) {
    if (existing !== undefined) {
      // Already being deleted gracefully: only a shorter period may be asked for. With no
      // period left (0 or none), the deletion proceeds as a non-graceful one.
      if (grace) {
        if (requested === undefined || requested >= grace) return { action: 'keep' };
        let period = requested;
        let ts = existing - grace * 1000 + period * 1000;
        // Never into the past; a graceful request whose time already ran out keeps 1 s, so the
        // kubelet still sees it and makes the final delete.
        if (ts < now) {
          ts = now;
          if (period !== 0) period = 1;
        }
        deletionTimestamp = ts;
        grace = period;
        graceful = true;
      }
    } else {
      const period = input.gracefulPeriod(requested);
      // Kinds whose graceful strategy answers 0 (a pod no node runs) go at once, unless finalizers hold them.
      if (period > 0) {
        deletionTimestamp = now + period * 1000;
        grace = period;
        graceful = true;
        if (generation !== undefined && generation > 0) generation++;
      }
    }
  }

  // The garbage-collector finalizers change only here, after a pending graceful deletion returned above.
  const { finalizers } = deletionFinalizers(m.finalizers ?? [], options, policy);
  const pendingFinalizers = finalizers.length > 0;
  if (graceful) {
    // Shortened to 0 with nothing else holding it: the deletion completes now.
    if (!pendingFinalizers && !grace) return { action: 'delete' };
    return { action: 'mark', metadata: { deletionTimestamp: toTimestamp(deletionTimestamp!), deletionGracePeriodSeconds: grace, finalizers, generation } };
  }
  if (!pendingFinalizers) return { action: 'delete' };
  // markAsDeleting: the first deletion bumps generation; deletionTimestamp becomes now unless
  // already earlier; the grace period is 0, since only finalizers hold the object.
  if (deletionTimestamp === undefined && generation !== undefined && generation > 0) generation++;
  if (deletionTimestamp === undefined || deletionTimestamp > now) deletionTimestamp = now;
  return { action: 'mark', metadata: { deletionTimestamp: toTimestamp(deletionTimestamp), deletionGracePeriodSeconds: 0, finalizers, generation } };
}

/**
 * Store.ShouldDeleteDuringUpdate: an update that leaves no finalizers on an object a delete
 * already marked with no grace period left (0 or none) removes the object.
 */
export function shouldDeleteDuringUpdate(next: ObjectMeta, old: ObjectMeta): boolean {
  if ((next.finalizers ?? []).length > 0) return false;
  if (!old.deletionTimestamp) return false;
  return !old.deletionGracePeriodSeconds;
}
