// The resourcequota controller (kube-controller-manager pkg/controller/resourcequota): keeps
// each ResourceQuota's status current — status.hard a copy of spec.hard, status.used what the
// namespace's objects use of each hard resource, counted with the same evaluator the quota
// admission plugin uses. It re-reads everything a quota names on each reconcile rather than
// trusting the event that woke it. Besides the core kinds it always watches, it starts
// watching any kind a quota counts (count/deployments.apps), as kube's controller adds a
// monitor per quotable resource, so a create or delete of one is reflected at once.
import type { Client, ResourceRef } from '../../clients/interfaces.js';
import { isConflict, isNotFound } from '../../clients/interfaces.js';
import { resourceOfQuotaName, usageOf, type GroupResource } from '../../quota/evaluator.js';
import { add, count, equals, parseResourceList, toJSONResourceList, type ResourceList } from '../../quota/resource-list.js';
import type { Cache } from '../runtime/cache.js';
import type { Clock } from '../runtime/clock.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';

export const RESOURCE_QUOTAS: ResourceRef = { group: '', version: 'v1', resource: 'resourcequotas', namespaced: true };

/** The core kinds the controller watches, so their quotas are recounted as soon as they change. */
export const WATCHED: ResourceRef[] = ['pods', 'services', 'configmaps', 'secrets'].map((resource) => ({ group: '', version: 'v1', resource, namespaced: true }));

export interface ResourceQuotaOptions {
  client: Client;
  clock: Clock;
  quotas: Cache;
  /** Watch this resource from now on: its changes enqueue the quotas of their namespace. */
  monitor(ref: ResourceRef): void;
}

export class ResourceQuotaReconciler implements Reconciler {
  private resources: (ResourceRef & { kind: string })[] | undefined;

  constructor(private readonly opts: ResourceQuotaOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client, clock, quotas } = this.opts;
    const quota = quotas.get(req.name, req.namespace);
    if (!quota || quota.metadata.deletionTimestamp) return;
    const namespace = quota.metadata.namespace!;
    const specHard = parseResourceList((quota.spec as { hard?: unknown } | undefined)?.hard);
    const now = clock.now().getTime();
    // Every resource the quota's names measure, each listed once.
    const byResource = new Map<string, GroupResource>();
    for (const name of specHard.keys()) {
      const gr = resourceOfQuotaName(name);
      if (gr) byResource.set(`${gr.resource}.${gr.group}`, gr);
    }
    let usage: ResourceList = new Map();
    for (const gr of byResource.values()) {
      const ref = await this.refFor(gr);
      if (!ref) continue;
      this.opts.monitor(ref);
      const list = await client.list(ref, { namespace });
      for (const obj of list.items) usage = add(usage, usageOf(gr, obj as KubeObject, now));
    }
    const used: ResourceList = new Map();
    for (const name of specHard.keys()) used.set(name, usage.get(name) ?? count(0));
    const status = (quota.status ?? {}) as { hard?: unknown; used?: unknown };
    if (equals(parseResourceList(status.hard), specHard) && equals(parseResourceList(status.used), used)) return;
    try {
      await client.updateStatus(RESOURCE_QUOTAS, { ...quota, status: { hard: toJSONResourceList(specHard), used: toJSONResourceList(used) } });
    } catch (e) {
      // A newer quota is on its way through the informer; it brings us back here.
      if (isConflict(e) || isNotFound(e)) return;
      throw e;
    }
  }

  /** The served version of a resource (discovery, looked up again when a name is new). */
  private async refFor(gr: GroupResource): Promise<ResourceRef | undefined> {
    if (gr.group === '') return { group: '', version: 'v1', resource: gr.resource, namespaced: true };
    const find = () => this.resources?.find((r) => r.group === gr.group && r.resource === gr.resource && r.namespaced);
    if (!find()) this.resources = (await this.opts.client.serverResources()).filter((r) => !r.resource.includes('/'));
    return find();
  }
}
