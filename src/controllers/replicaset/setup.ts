// The ReplicaSet controller: for(ReplicaSet).owns(Pod), as kube-controller-manager's
// "replicaset" controller watches them, reading pods from the shared informer's cache. The
// pod informer's events also settle the expectations of the ReplicaSet that controls each
// pod (replica_set.go addPod / updatePod / deletePod).
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { keyOf, objectKey } from '../runtime/cache.js';
import { ControllerExpectations } from '../runtime/expectations.js';
import type { EventHandler } from '../runtime/informer.js';
import type { KubeObject } from '../runtime/types.js';
import { controllerRef } from './pods.js';
import { PODS, REPLICASETS, ReplicaSetReconciler } from './reconciler.js';

export const replicaSetController: ControllerDefinition = {
  name: 'replicaset',
  setup(ctx) {
    const informer = ctx.manager.informerFor(PODS);
    const expectations = new ControllerExpectations();
    informer.addEventHandler(expectationsObserver(expectations));
    const reconciler = new ReplicaSetReconciler({
      client: ctx.client,
      clock: ctx.clock,
      recorder: ctx.recorder('replicaset-controller'),
      pods: informer.cache,
      expectations,
    });
    controllerFor(REPLICASETS, { kind: 'ReplicaSet' })
      .owns(PODS)
      .withReconciler(reconciler)
      .build({ name: 'replicaset', manager: ctx.manager });
  },
};

/** The namespace/name of the ReplicaSet controlling a pod, if one does. */
function ownerKey(pod: KubeObject): string | undefined {
  const ref = controllerRef(pod);
  return ref?.kind === 'ReplicaSet' && ref.apiVersion === 'apps/v1' ? keyOf(ref.name, pod.metadata.namespace) : undefined;
}

/** Pod events as kube's handlers count them: an add is a creation seen, unless it already is being deleted; gaining a deletionTimestamp or leaving is a deletion seen. */
export function expectationsObserver(expectations: ControllerExpectations): EventHandler {
  const deleted = (pod: KubeObject) => {
    const key = ownerKey(pod);
    if (key) expectations.deletionObserved(key, objectKey(pod));
  };
  return {
    onAdd(pod) {
      if (pod.metadata.deletionTimestamp) return deleted(pod);
      const key = ownerKey(pod);
      if (key) expectations.creationObserved(key);
    },
    onUpdate(oldPod, pod) {
      if (pod.metadata.deletionTimestamp && !oldPod.metadata.deletionTimestamp) deleted(pod);
    },
    onDelete: deleted,
  };
}
