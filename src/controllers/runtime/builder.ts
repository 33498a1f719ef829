// Declare a controller by what it watches: for(Job).owns(Pod).watches(Node, map)
// (controller-runtime pkg/builder/controller.go; handler.EnqueueRequestForObject,
// EnqueueRequestForOwner with OnlyControllerOwner, EnqueueRequestsFromMapFunc).
import type { Client, ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from './clock.js';
import { Controller } from './controller.js';
import type { EventHandler, Informer } from './informer.js';
import { Manager, type InformerScope } from './manager.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Reconciler, Request } from './reconcile.js';
import type { KubeObject } from './types.js';

export type MapFunc = (obj: KubeObject) => Request[];

export interface BuildOptions {
  name: string;
  /** Shares informers with other controllers; without one, the controller gets its own. */
  manager?: Manager;
  client?: Client;
  clock?: Clock;
  workers?: number;
  rateLimiter?: RateLimiter<string>;
  onError?: (err: unknown, req: Request) => void;
}

export interface ForOptions extends InformerScope {
  /** The kind of the `for` resource, matched against ownerReferences; else found by discovery. */
  kind?: string;
}

interface Watch {
  ref: ResourceRef;
  map: MapFunc | 'self' | 'owner';
}

export function controllerFor(ref: ResourceRef, opts: ForOptions = {}): ControllerBuilder {
  return new ControllerBuilder(ref, opts);
}

export class ControllerBuilder {
  private readonly watches_: Watch[] = [];
  private reconciler: Reconciler | undefined;

  constructor(
    private readonly forRef: ResourceRef | undefined,
    private readonly forOpts: ForOptions = {},
  ) {
    if (forRef) this.watches_.push({ ref: forRef, map: 'self' });
  }

  /** Objects of this resource enqueue their controlling owner of the `for` kind. */
  owns(ref: ResourceRef): this {
    if (!this.forRef) throw new Error('owns() needs a for() resource to own it');
    this.watches_.push({ ref, map: 'owner' });
    return this;
  }

  /** Objects of this resource enqueue whatever requests mapFn returns. */
  watches(ref: ResourceRef, mapFn: MapFunc): this {
    this.watches_.push({ ref, map: mapFn });
    return this;
  }

  withReconciler(r: Reconciler): this {
    this.reconciler = r;
    return this;
  }

  /**
   * Wire informers to a new Controller and add it to the manager. Refuses a controller that
   * watches nothing or has no reconciler (controller-runtime Builder.Build errors the same).
   */
  build(opts: BuildOptions): Controller {
    if (this.watches_.length === 0) throw new Error(`controller ${opts.name}: must watch at least one resource`);
    if (!this.reconciler) throw new Error(`controller ${opts.name}: must have a reconciler`);
    if (!opts.name) throw new Error('controller name is required');
    const manager = opts.manager ?? newManager(opts);
    const controller = new Controller({
      name: opts.name,
      reconciler: this.reconciler,
      clock: manager.clock,
      workers: opts.workers,
      rateLimiter: opts.rateLimiter,
      onError: opts.onError,
    });

    const forRef = this.forRef;
    let forKind = this.forOpts.kind;
    // Owned objects seen before discovery named the `for` kind wait here, then are mapped.
    let unmapped: KubeObject[] | undefined;
    if (forRef && !forKind && this.watches_.some((w) => w.map === 'owner')) {
      unmapped = [];
      controller.beforeStart(async () => {
        const found = (await manager.client.serverResources()).find(
          (r) => r.group === forRef.group && r.version === forRef.version && r.resource === forRef.resource,
        );
        if (!found) throw new Error(`controller ${opts.name}: no kind found for ${forRef.group}/${forRef.version}/${forRef.resource}`);
        forKind = found.kind;
        for (const o of unmapped ?? []) controllerOwnerRequests(o, forRef, forKind).forEach((r) => controller.enqueue(r));
        unmapped = undefined;
      });
    }
    const ownerMap: MapFunc = (o) => {
      if (forKind) return controllerOwnerRequests(o, forRef!, forKind);
      unmapped?.push(o);
      return [];
    };

    const informers: Informer[] = [];
    for (const w of this.watches_) {
      const scope = w.map === 'self' ? this.forOpts : {};
      const inf = manager.informerFor(w.ref, { namespace: scope.namespace, labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector });
      informers.push(inf);
      const map: MapFunc =
        w.map === 'self'
          ? (o) => [requestOf(o)]
          : w.map === 'owner'
            ? ownerMap
            : w.map;
      inf.addEventHandler(enqueueHandler(controller, map));
    }
    // Without a shared manager, the controller starts its own informers and waits for them.
    controller.beforeStart(async () => {
      for (const inf of informers) inf.start();
      await Promise.all(informers.map((i) => i.waitForSync()));
    });
    if (opts.manager) opts.manager.add(controller);
    else controller.afterStop(() => manager.stop());
    return controller;
  }
}

function newManager(opts: BuildOptions): Manager {
  if (!opts.client || !opts.clock) throw new Error(`controller ${opts.name}: build needs a manager, or a client and a clock`);
  return new Manager({ client: opts.client, clock: opts.clock });
}

function requestOf(obj: KubeObject): Request {
  return obj.metadata.namespace
    ? { namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' }
    : { name: obj.metadata.name ?? '' };
}

/**
 * The ownerReference with controller: true whose group and kind are the `for` resource's
 * (EnqueueRequestForOwner with OnlyControllerOwner). Owners share the owned object's
 * namespace, or have none when cluster-scoped.
 */
export function controllerOwnerRequests(obj: KubeObject, forRef: ResourceRef, forKind: string): Request[] {
  const owner = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!owner || owner.kind !== forKind) return [];
  const slash = owner.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : owner.apiVersion.slice(0, slash);
  if (group !== forRef.group) return [];
  return forRef.namespaced && obj.metadata.namespace
    ? [{ namespace: obj.metadata.namespace, name: owner.name }]
    : [{ name: owner.name }];
}

/** An update enqueues for both the old and the new object, so a changed owner hears of it. */
function enqueueHandler(c: Controller, map: MapFunc): EventHandler {
  return {
    onAdd: (o) => map(o).forEach((r) => c.enqueue(r)),
    onUpdate: (oldObj, newObj) => {
      map(oldObj).forEach((r) => c.enqueue(r));
      map(newObj).forEach((r) => c.enqueue(r));
    },
    onDelete: (o) => map(o).forEach((r) => c.enqueue(r)),
  };
}
