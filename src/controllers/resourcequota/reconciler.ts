// The resourcequota controller (kube-controller-manager pkg/controller/resourcequota): keeps
// each ResourceQuota's status current — status.hard a copy of spec.hard, status.used what the
// namespace's objects use of each hard resource, counted with the same evaluator the quota
// admission plugin uses. It re-reads everything a quota names on each reconcile rather than
// trusting the event that woke it. Objects of kinds it does not watch (count/<anything else>)
// are recounted on a short resync, as kube's controller recounts on its resync period.
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

/** How soon a quota counting kinds the controller does not watch is recounted (ms). */
export const UNWATCHED_RESYNC_MS = 5_000;

export interface ResourceQuotaOptions {
  client: Client;
  clock: Clock;
  quotas: Cache;
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
    let unwatched = false;
    for (const gr of byResource.values()) {
      const ref = await this.refFor(gr);
      if (!ref) continue;
      if (!WATCHED.some((w) => w.group === gr.group && w.resource === gr.resource) && !(gr.group === '' && gr.resource === 'resourcequotas')) unwatched = true;
      const list = await client.list(ref, { namespace });
      for (const obj of list.items) usage = add(usage, usageOf(gr, obj as KubeObject, now));
    }
    const used: ResourceList = new Map();
    for (const name of specHard.keys()) used.set(name, usage.get(name) ?? count(0));
    const status = (quota.status ?? {}) as { hard?: unknown; used?: unknown };
    const resync = unwatched ? { requeueAfter: UNWATCHED_RESYNC_MS } : undefined;
    if (equals(parseResourceList(status.hard), specHard) && equals(parseResourceList(status.used), used)) return resync;
    try {
      await client.updateStatus(RESOURCE_QUOTAS, { ...quota, status: { hard: toJSONResourceList(specHard), used: toJSONResourceList(used) } });
    } catch (e) {
      // A newer quota is on its way through the informer; it brings us back here.
      if (isConflict(e) || isNotFound(e)) return;
      throw e;
    }
    return resync;
  }

  /** The served version of a resource (discovery, looked up again when a name is new). */
  private async refFor(gr: GroupResource): Promise<ResourceRef | undefined> {
    if (gr.group === '') return { group: '', version: 'v1', resource: gr.resource, namespaced: true };
    const find = () => this.resources?.find((r) => r.group === gr.group && r.resource === gr.resource && r.namespaced);
    if (!find()) this.resources = (await this.opts.client.serverResources()).filter((r) => !r.resource.includes('/'));
    return find();
  }
}
