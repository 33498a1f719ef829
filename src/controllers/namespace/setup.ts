// Wires the namespace controller: for(Namespace), reading namespaces from the shared informer's
// cache and deleting their content through the API like any client.
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { NAMESPACES, NamespacedResourcesDeleter } from './deleter.js';
import { NamespaceReconciler } from './reconciler.js';

export const namespaceController: ControllerDefinition = {
  name: 'namespace',
  setup(ctx) {
    const namespaces = ctx.manager.informerFor(NAMESPACES).cache;
    const deleter = new NamespacedResourcesDeleter({ client: ctx.client, clock: ctx.clock, onError: ctx.onError });
    const reconciler = new NamespaceReconciler({ clock: ctx.clock, namespaces, deleter });
    controllerFor(NAMESPACES, { kind: 'Namespace' }).withReconciler(reconciler).build({ name: 'namespace', manager: ctx.manager });
  },
};
