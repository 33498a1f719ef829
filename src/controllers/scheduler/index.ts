// kube-scheduler, simulated: each pod of schedulerName default-scheduler with no spec.nodeName
// goes to a Ready node it fits (filters in fit.ts), the least allocated one, names breaking ties
// round robin; bound with a v1 Binding (pods/{name}/binding). When nothing fits, the pod gets
// PodScheduled=False/Unschedulable and a FailedScheduling event, and is retried with back-off
// (podInitialBackoffSeconds 1, podMaxBackoffSeconds 10) or as soon as a node changes. A bound
// pod leaving frees room for about one waiting pod, so that many go straight back to be tried,
// back-off or not: kube's queueing hint for AssignedPodDelete requeues them, and a scheduler
// with nothing else to do pops them from the back-off queue at once (KEP-5142,
// SchedulerPopFromBackoffQ). On a virtual clock a back-off lasts until someone advances the
// clock, so without this a rolling update that briefly fills its nodes with terminating pods
// would stall.
import type { ResourceRef } from '../../clients/interfaces.js';
import type { ControllerContext, ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import { TerminalError, type Request, type Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { fitErrorMessage, leastAllocatedScore, unfitReasons } from './fit.js';
import { NodeUsage } from './node-usage.js';

export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const INITIAL_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 10_000;

type Obj = Record<string, any>;

/**
 * POSTs the v1 Binding {target: {kind: Node, name: nodeName}} to pods/{name}/binding. The
 * Client interface can only create at a collection, so the caller supplies this.
 */
export type Binder = (pod: KubeObject, nodeName: string) => Promise<void>;

export interface SchedulerOptions {
  bind?: Binder;
  schedulerName?: string;
}

/** The v1 Binding a scheduler posts for a pod. */
export function bindingFor(pod: KubeObject, nodeName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod.metadata.name!, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
}

/** Binds through the API as kube-scheduler does: POST pods/{name}/binding. */
function clientBinder(ctx: ControllerContext): Binder {
  return async (pod, nodeName) => {
    await ctx.client.createSubresource(PODS, pod.metadata.name!, 'binding', bindingFor(pod, nodeName), { namespace: pod.metadata.namespace });
  };
}

export function newSchedulerController(opts: SchedulerOptions = {}): ControllerDefinition {
  return {
    name: 'scheduler',
    setup(ctx: ControllerContext): void {
      const scheduler = new Scheduler(ctx, ctx.recorder(opts.schedulerName ?? DEFAULT_SCHEDULER_NAME), opts.bind ?? clientBinder(ctx), opts.schedulerName ?? DEFAULT_SCHEDULER_NAME);
      const pods = ctx.manager.informerFor(PODS).cache;
      // Registered before the controller's own handler, so an attempt sees the event that woke it.
      ctx.manager.informerFor(PODS).addEventHandler(scheduler.usage.handler());
      // A node that appears or changes may make waiting pods fit: retry them all at once.
      const pending = (): Request[] =>
        pods
          .list()
          .filter((p) => !(p.spec as Obj | undefined)?.nodeName)
          .map((p) => ({ namespace: p.metadata.namespace!, name: p.metadata.name! }));
      const controller = controllerFor(PODS, { kind: 'Pod' })
        .watches(NODES, pending)
        .withReconciler({ reconcile: (req) => scheduler.reconcile(req) })
        .build({ name: 'scheduler', manager: ctx.manager, onError: (e) => ctx.onError(e) });
      // Each bound pod that leaves makes room for about one waiting pod: wake that many, oldest
      // first, rather than every waiting pod each time (hundreds of failed attempts per pod
      // deleted in a large rolling update). A woken pod that still does not fit backs off again.
      let freed = 0;
      const wake = () => {
        const waiting = pending()
          .map((req) => ({ req, pod: pods.get(req.name, req.namespace)! }))
          .filter(({ req }) => scheduler.backingOff(req))
          .sort((a, b) => String(a.pod.metadata.creationTimestamp).localeCompare(String(b.pod.metadata.creationTimestamp)) || a.req.name.localeCompare(b.req.name));
        for (const { req } of waiting.slice(0, freed)) {
          scheduler.endBackoff(req);
          controller.enqueue(req);
        }
        freed = 0;
      };
      ctx.manager.informerFor(PODS).addEventHandler({
        onDelete(pod) {
          if (!(pod.spec as Obj | undefined)?.nodeName) return;
          // Deletions arrive in bursts: one wake-up per turn of the event loop.
          if (freed++ === 0) setImmediate(wake);
        },
      });
    },
  };
}

export const schedulerController: ControllerDefinition = newSchedulerController();

class Scheduler {
  private readonly attempts = new Map<string, number>();
  /** When a pod that did not fit may be tried again (the backoff queue). */
  private readonly retryAt = new Map<string, number>();
  private turn = 0;
  /** Fed by the pod informer (see setup). */
  readonly usage = new NodeUsage();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly recorder: EventRecorder,
    private readonly bind: Binder,
    private readonly schedulerName: string,
  ) {}

  /** Whether the pod did not fit and waits out a back-off. */
  backingOff(req: Request): boolean {
    return this.retryAt.has(`${req.namespace}/${req.name}`);
  }

  /** The pod may be tried again now (moved from the back-off queue to the active one). */
  endBackoff(req: Request): void {
    this.retryAt.delete(`${req.namespace}/${req.name}`);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const key = `${req.namespace}/${req.name}`;
    const pod = this.ctx.manager.informerFor(PODS).cache.get(req.name, req.namespace);
    const spec = (pod?.spec ?? {}) as Obj;
    if (!pod || spec.nodeName || pod.metadata.deletionTimestamp || (spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) !== this.schedulerName) {
      this.attempts.delete(key);
      this.retryAt.delete(key);
      return;
    }
    const phase = (pod.status as Obj | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || (spec.schedulingGates ?? []).length > 0) return;
    // Woken during back-off (its own status write, a node change): wait the back-off out.
    const wait = (this.retryAt.get(key) ?? 0) - this.ctx.clock.now().getTime();
    if (wait > 0) return { requeueAfter: wait };

    const nodes = this.ctx.manager.informerFor(NODES).cache.list().sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    const requestedOnNode = this.usage.requested;
    const feasible: { node: KubeObject; score: number }[] = [];
    const reasons: string[][] = [];
    for (const node of nodes) {
      const requested = requestedOnNode.get(node.metadata.name!) ?? { cpu: 0, memory: 0, pods: 0 };
      const why = unfitReasons(pod, node, requested);
      if (why.length) reasons.push(why);
      else feasible.push({ node, score: leastAllocatedScore(pod, node, requested) });
    }
    if (feasible.length === 0) return this.unschedulable(pod, key, fitErrorMessage(nodes.length, reasons));

    const best = Math.max(...feasible.map((f) => f.score));
    const top = feasible.filter((f) => f.score === best);
    const chosen = top[this.turn++ % top.length]!.node.metadata.name!;
    await this.bind(pod, chosen);
    this.attempts.delete(key);
    this.retryAt.delete(key);
    void this.recorder.event(pod, EventType.Normal, 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${chosen}`);
  }

  /** handleSchedulingFailure: the condition, a Warning event, and back-off before the next try. */
  private async unschedulable(pod: KubeObject, key: string, message: string): Promise<Result> {
    const n = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, n);
    const status = (pod.status ?? {}) as Obj;
    const conditions = (status.conditions ?? []) as Obj[];
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (!old || old.status !== 'False' || old.reason !== 'Unschedulable' || old.message !== message) {
      const now = this.ctx.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : now };
      await this.ctx.client.patch(PODS, pod.metadata.name!, { status: { conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), condition] } }, 'merge', {
        namespace: pod.metadata.namespace,
        subresource: 'status',
      });
    }
    void this.recorder.event(pod, EventType.Warning, 'FailedScheduling', message);
    const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** (n - 1), MAX_BACKOFF_MS);
    this.retryAt.set(key, this.ctx.clock.now().getTime() + backoff);
    return { requeueAfter: backoff };
  }
}
