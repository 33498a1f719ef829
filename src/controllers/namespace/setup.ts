// Wires the namespace controller as kube-controller-manager's NewNamespaceController does: every
// add or update of a namespace being deleted is queued namespaceDeletionGracePeriod later, so
// last-moment creations are in storage before its content is listed; the reconciler reads
// namespaces from the shared informer's cache and deletes their content through the API.
import type { ControllerDefinition } from '../definition.js';
import { Controller } from '../runtime/controller.js';
import type { KubeObject } from '../runtime/types.js';
import { NAMESPACES, NamespacedResourcesDeleter } from './deleter.js';
import { NamespaceReconciler } from './reconciler.js';

/** namespaceDeletionGracePeriod: how long after an event a terminating namespace is looked at. */
export const NAMESPACE_DELETION_GRACE_MS = 5_000;

export const namespaceController: ControllerDefinition = {
  name: 'namespace',
  setup(ctx) {
    const informer = ctx.manager.informerFor(NAMESPACES);
    const deleter = new NamespacedResourcesDeleter({ client: ctx.client, clock: ctx.clock, onError: ctx.onError });
    const reconciler = new NamespaceReconciler({ namespaces: informer.cache, deleter });
    const controller = new Controller({ name: 'namespace', reconciler, clock: ctx.clock, onError: (e) => ctx.onError(e) });
    const enqueue = (ns: KubeObject) => {
      if (ns.metadata.deletionTimestamp && ns.metadata.name) controller.queue.addAfter(ns.metadata.name, NAMESPACE_DELETION_GRACE_MS);
    };
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
    controller.beforeStart(async () => {
      informer.start();
      await informer.waitForSync();
    });
    ctx.manager.add(controller);
  },
};
