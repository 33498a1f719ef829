// The garbage collector (kube-controller-manager pkg/controller/garbagecollector): informers
// on every deletable resource feed a dependency graph built from ownerReferences; two queues
// of uids, attemptToDelete and attemptToOrphan, are worked by their own workers with
// per-item backoff. It is an ordinary API client: it reads, patches and deletes through the
// Client like any controller, and waits only on the injected clock.
import type { Client, ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import { Controller } from '../runtime/controller.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import type { Manager, Runnable } from '../runtime/manager.js';
import type { KubeObject } from '../runtime/types.js';
import { attemptToDeleteWorker, type AttemptToDeleteContext } from './attempt-to-delete.js';
import { GraphBuilder, type GraphQueues } from './graph-builder.js';
import { AbsentOwnerCache, DependencyGraph, identityString, type GraphNode, type ObjectIdentity } from './graph.js';
import { Monitors } from './monitors.js';
import { Operations } from './operations.js';
import { attemptToOrphanWorker } from './orphan.js';
import { RestMapper } from './rest-mapper.js';

export const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };

interface CRDShape {
  spec?: { group?: string; names?: { plural?: string }; versions?: { served?: boolean }[] };
  status?: { conditions?: { type?: string; status?: string }[] };
}

function isServedAndEstablished(crd: KubeObject): boolean {
  const { spec, status } = crd as CRDShape;
  const established = (status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
  return established && !crd.metadata.deletionTimestamp && (spec?.versions ?? []).some((v) => v.served);
}

const crdGroupResource = (crd: KubeObject): string => {
  const { spec } = crd as CRDShape;
  return `${spec?.group ?? ''}/${spec?.names?.plural ?? ''}`;
};

export interface GarbageCollectorOptions {
  client: Client;
  clock: Clock;
  manager: Manager;
  recorder: EventRecorder;
  onError(err: unknown): void;
  /** attemptToDelete workers; kube-controller-manager's --concurrent-gc-syncs defaults to 20. */
  deleteWorkers?: number;
  orphanWorkers?: number;
}

export class GarbageCollector implements Runnable {
  readonly graph = new DependencyGraph();
  readonly monitors: Monitors;
  private readonly absentOwners = new AbsentOwnerCache();
  private readonly mapper = new RestMapper();
  private readonly builder: GraphBuilder;
  private readonly attemptToDelete: Controller;
  private readonly attemptToOrphan: Controller;

  constructor(private readonly opts: GarbageCollectorOptions) {
    const ops = new Operations({ client: opts.client, mapper: this.mapper });
    const queues: GraphQueues = {
      attemptToDelete: (uid, o) => (o?.rateLimited ? this.attemptToDelete.queue.addRateLimited(uid) : this.attemptToDelete.queue.add(uid)),
      attemptToOrphan: (uid) => this.attemptToOrphan.queue.add(uid),
    };
    this.builder = new GraphBuilder({
      graph: this.graph,
      absentOwners: this.absentOwners,
      mapper: this.mapper,
      queues,
      reportInvalidNamespace: (dep, owner) => this.reportInvalidNamespace(dep, owner),
    });
    const crds = opts.manager.informerFor(CRDS);
    this.monitors = new Monitors({
      client: opts.client,
      clock: opts.clock,
      manager: opts.manager,
      mapper: this.mapper,
      builder: this.builder,
      establishedCustomResources: () => crds.cache.list().filter(isServedAndEstablished).map(crdGroupResource),
      onError: opts.onError,
    });
    const deleteCtx: AttemptToDeleteContext = {
      graph: this.graph,
      builder: this.builder,
      ops,
      mapper: this.mapper,
      absentOwners: this.absentOwners,
      queues,
      onUnknownKind: () => this.monitors.requestSync(),
    };
    // Queue items are uids, never namespace/name: the request's name carries the uid.
    this.attemptToDelete = new Controller({
      name: 'garbagecollector-attempt-to-delete',
      clock: opts.clock,
      workers: opts.deleteWorkers ?? 20,
      reconciler: { reconcile: (req) => attemptToDeleteWorker(deleteCtx, req.name) },
      onError: (err) => opts.onError(err),
    });
    this.attemptToOrphan = new Controller({
      name: 'garbagecollector-attempt-to-orphan',
      clock: opts.clock,
      workers: opts.orphanWorkers ?? 5,
      reconciler: { reconcile: (req) => attemptToOrphanWorker({ graph: this.graph, ops }, req.name) },
      onError: (err) => opts.onError(err),
    });
  }

  /**
   * Discover resources and register their informers (before the manager starts, so its
   * cache sync covers them), and rediscover whenever a CRD is added, established or deleted.
   */
  async setup(): Promise<void> {
    await this.monitors.sync();
    // A CRD added, established or deleted changes what there is to watch.
    this.opts.manager.informerFor(CRDS).addEventHandler({
      onAdd: () => this.monitors.requestSync(),
      onUpdate: () => this.monitors.requestSync(),
      onDelete: () => this.monitors.requestSync(),
    });
    this.opts.manager.add(this);
  }

  async start(): Promise<void> {
    await this.attemptToDelete.start();
    await this.attemptToOrphan.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.monitors.stop(), this.attemptToDelete.stop(), this.attemptToOrphan.stop()]);
  }

  /**
   * A dependent names an owner that was observed in another namespace (or a cluster-scoped
   * dependent a namespaced owner): certainly wrong, so say so on the dependent
   * (reportInvalidNamespaceOwnerRef, with kube's message).
   */
  private reportInvalidNamespace(dep: GraphNode, owner: ObjectIdentity): void {
    const ref = dep.owners.find((r) => r.uid === owner.uid);
    if (!ref) return;
    const invalid: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: dep.identity.namespace };
    const { apiVersion, kind, name, namespace, uid } = dep.identity;
    const involved = { apiVersion, kind, metadata: { name, uid, ...(namespace ? { namespace } : {}) } };
    void this.opts.recorder.event(
      involved,
      EventType.Warning,
      'OwnerRefInvalidNamespace',
      `ownerRef ${identityString(invalid)} does not exist in namespace ${JSON.stringify(dep.identity.namespace)}`,
    );
  }
}
