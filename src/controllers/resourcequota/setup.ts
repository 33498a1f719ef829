// Wires the resourcequota controller: for(ResourceQuota), and a change to a pod, service,
// configmap or secret enqueues the quotas of its namespace.
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { RESOURCE_QUOTAS, ResourceQuotaReconciler, WATCHED } from './reconciler.js';

export const resourceQuotaController: ControllerDefinition = {
  name: 'resourcequota',
  setup(ctx) {
    const quotas = ctx.manager.informerFor(RESOURCE_QUOTAS).cache;
    const reconciler = new ResourceQuotaReconciler({ client: ctx.client, clock: ctx.clock, quotas });
    const quotasOfNamespace = (obj: { metadata: { namespace?: string } }) =>
      quotas.list({ namespace: obj.metadata.namespace }).map((q) => ({ namespace: q.metadata.namespace, name: q.metadata.name! }));
    let builder = controllerFor(RESOURCE_QUOTAS, { kind: 'ResourceQuota' });
    for (const ref of WATCHED) builder = builder.watches(ref, quotasOfNamespace);
    builder.withReconciler(reconciler).build({ name: 'resourcequota', manager: ctx.manager });
  },
};
