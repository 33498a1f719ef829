// Deleting a Namespace (kube-apiserver pkg/registry/core/namespace/storage/storage.go REST.Delete):
// the first DELETE only marks it, with deletionTimestamp and phase Terminating, leaving
// spec.finalizers ("kubernetes") for the namespace controller to clear once the namespace's
// content is gone. A DELETE while spec.finalizers remain changes nothing; once they are empty
// the namespace is deleted as any object is (metadata.finalizers still hold it). Either way
// the answer is the namespace itself (ReturnDeletedObject). The first DELETE also sets the
// `orphan` / `foregroundDeletion` finalizers its options ask for (shouldHaveOrphanFinalizer,
// shouldHaveDeleteDependentsFinalizer), for the garbage collector to act on.
import { produce, type Draft } from 'immer';
import * as errors from '../../../errors.js';
import type { KubeObject } from '../../../object.js';
import type { Preconditions } from '../../../storage/interface.js';
import { formatTimestamp, type Clock } from '../../context.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from '../../deletion.js';
import type { GenericStore } from '../../generic-store.js';
import { specFinalizers } from './namespaces.js';

export interface DeleteNamespaceOptions {
  store: GenericStore;
  clock: Clock;
  name: string;
  dryRun: boolean;
  preconditions?: Preconditions;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
}

/** Whether the namespace should carry a GC finalizer after this delete: the options decide, else what it has. */
function shouldHave(finalizer: string, has: boolean, opts: DeleteNamespaceOptions): boolean {
  const orphan = finalizer === FINALIZER_ORPHAN;
  if (opts.orphanDependents !== undefined) return orphan ? opts.orphanDependents : !opts.orphanDependents;
  if (opts.propagationPolicy !== undefined) return opts.propagationPolicy === (orphan ? 'Orphan' : 'Foreground');
  return has;
}

const NAMESPACES = { group: '', resource: 'namespaces' };

export function deleteNamespace(opts: DeleteNamespaceOptions): { object: KubeObject; deleted: boolean } {
  const { store, name } = opts;
  const current = store.get('', name);
  const uid = opts.preconditions?.uid;
  if (uid !== undefined && uid !== current.metadata.uid) {
    throw errors.conflict(NAMESPACES, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
  }
  const rv = opts.preconditions?.resourceVersion;
  if (rv !== undefined && rv !== current.metadata.resourceVersion) {
    throw errors.conflict(NAMESPACES, name, `Precondition failed: ResourceVersion in precondition: ${rv}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
  }
  if (!current.metadata.deletionTimestamp) {
    const now = formatTimestamp(opts.clock.now());
    const marked = store.guaranteedUpdate(
      '',
      name,
      (existing) =>
        produce(existing, (d: Draft<KubeObject>) => {
          d.metadata.deletionTimestamp = now;
          const status = (d.status ??= {}) as Record<string, unknown>;
          status.phase = 'Terminating';
          let finalizers = [...(d.metadata.finalizers ?? [])];
          for (const f of [FINALIZER_ORPHAN, FINALIZER_FOREGROUND]) {
            const want = shouldHave(f, finalizers.includes(f), opts);
            if (want && !finalizers.includes(f)) finalizers.push(f);
            if (!want) finalizers = finalizers.filter((x) => x !== f);
          }
          if (finalizers.length) d.metadata.finalizers = finalizers;
          else delete d.metadata.finalizers;
        }),
      { dryRun: opts.dryRun },
    );
    return { object: marked, deleted: false };
  }
  // The namespace controller is still emptying it: nothing changes.
  if (specFinalizers(current).length > 0) return { object: current, deleted: false };
  return opts.store.delete('', name, { dryRun: opts.dryRun, preconditions: opts.preconditions, gracePeriodSeconds: opts.gracePeriodSeconds });
}
