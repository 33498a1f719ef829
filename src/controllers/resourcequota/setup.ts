// Wires the resourcequota controller: for(ResourceQuota); a change to a pod, service,
// configmap or secret, or to an object of any kind a quota counts, enqueues the quotas of its
// namespace.
import type { ResourceRef } from '../../clients/interfaces.js';
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import type { Controller } from '../runtime/controller.js';
import type { KubeObject } from '../runtime/types.js';
import { RESOURCE_QUOTAS, ResourceQuotaReconciler, WATCHED } from './reconciler.js';

export const resourceQuotaController: ControllerDefinition = {
  name: 'resourcequota',
  setup(ctx) {
    const quotas = ctx.manager.informerFor(RESOURCE_QUOTAS).cache;
    const quotasOfNamespace = (obj: KubeObject) =>
      quotas.list({ namespace: obj.metadata.namespace }).map((q) => ({ namespace: q.metadata.namespace, name: q.metadata.name! }));
    let controller: Controller | undefined;
    const monitored = new Set<string>([RESOURCE_QUOTAS, ...WATCHED].map(key));
    const monitor = (ref: ResourceRef) => {
      if (monitored.has(key(ref)) || !controller) return;
      monitored.add(key(ref));
      const enqueue = (o: KubeObject) => quotasOfNamespace(o).forEach((r) => controller!.enqueue(r));
      ctx.manager.informerFor(ref).addEventHandler({ onAdd: enqueue, onUpdate: (_old, o) => enqueue(o), onDelete: enqueue });
    };
    const reconciler = new ResourceQuotaReconciler({ client: ctx.client, clock: ctx.clock, quotas, monitor });
    let builder = controllerFor(RESOURCE_QUOTAS, { kind: 'ResourceQuota' });
    for (const ref of WATCHED) builder = builder.watches(ref, quotasOfNamespace);
    controller = builder.withReconciler(reconciler).build({ name: 'resourcequota', manager: ctx.manager });
  },
};

function key(ref: ResourceRef): string {
  return `${ref.resource}.${ref.group}/${ref.version}`;
}
