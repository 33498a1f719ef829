// The kubelet, simulated: registers ctx.nodes Nodes, renews each one's Lease in
// kube-node-lease every 10 s, and "runs" the pods bound to them with the fake runtime,
// reporting status through pods/status the way pkg/kubelet's status manager does.
import { isConflict, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { ControllerContext, ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import type { Runnable } from '../runtime/manager.js';
import type { Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { LEASE_RENEW_MS, LEASES, leaseObject, microTime, NODE_LEASE_NAMESPACE, nodeInternalIP, nodeName, nodeObject, NODES } from './node.js';
import { killedStatus, pendingStatus, progress, runningStatus } from './pod-status.js';

export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

type Obj = Record<string, any>;

export const kubeletController: ControllerDefinition = {
  name: 'kubelet',
  async setup(ctx: ControllerContext): Promise<void> {
    const nodes = new Map<string, number>();
    for (let i = 1; i <= ctx.nodes; i++) {
      const node = await registerNode(ctx.client, ctx.clock, i);
      nodes.set(node.metadata.name!, i);
    }
    ctx.manager.add(new LeaseHeartbeat(ctx.client, ctx.clock, [...nodes.keys()], ctx.onError));
    // Each node's kubelet records as itself: source.host and reportingInstance name the node.
    const recorders = new Map([...nodes.keys()].map((n) => [n, ctx.recorder('kubelet', n)]));
    const kubelet = new PodRunner(ctx, nodes, recorders);
    controllerFor(PODS, { kind: 'Pod' })
      .withReconciler({ reconcile: (req) => kubelet.reconcile(req) })
      .build({ name: 'kubelet', manager: ctx.manager, onError: (e) => ctx.onError(e) });
  },
};

/** Create the Node unless it exists, and its Lease (kubelet registerWithAPIServer + lease controller). */
async function registerNode(client: Client, clock: Clock, i: number): Promise<KubeObject> {
  let node: KubeObject;
  try {
    node = await client.get(NODES, nodeName(i));
  } catch (e) {
    if (!isNotFound(e)) throw e;
    node = await client.create(NODES, nodeObject(i, clock.now()));
  }
  await renewLease(client, clock, node);
  return node;
}

async function renewLease(client: Client, clock: Clock, node: KubeObject): Promise<void> {
  const name = node.metadata.name!;
  try {
    await client.patch(LEASES, name, { spec: { holderIdentity: name, renewTime: microTime(clock.now()) } }, 'merge', { namespace: NODE_LEASE_NAMESPACE });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await client.create(LEASES, leaseObject(node, clock.now()));
  }
}

/** Renews every node's Lease on the clock, so a VirtualClock advance renews them too. */
class LeaseHeartbeat implements Runnable {
  private timer: TimerHandle | undefined;
  private renewing: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
    private readonly names: string[],
    private readonly onError: (err: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    await this.renewing;
  }

  private schedule(): void {
    if (this.stopped) return;
    // The next renewal counts from the end of this one (the lease controller's sliding
    // JitterUntil), so a virtual clock jumping an hour renews once, not 360 times at once.
    this.timer = this.clock.setTimeout(
      () => {
        this.renewing = Promise.all(
          this.names.map((name) =>
            this.client
              .get(NODES, name)
              .then((node) => renewLease(this.client, this.clock, node))
              .catch((e: unknown) => this.onError(e)),
          ),
        ).then(() => this.schedule());
      },
      LEASE_RENEW_MS,
      { background: true },
    );
  }
}

/** Drives the pods bound to our nodes through Pending -> Running -> Succeeded/Failed. */
class PodRunner {
  /** What we last wrote, since the informer's copy may lag behind our own writes. */
  private readonly written = new Map<string, KubeObject>();
  private readonly nextIP = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly nodes: Map<string, number>,
    private readonly recorders: Map<string, EventRecorder>,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const key = `${req.namespace}/${req.name}`;
    const cached = this.ctx.manager.informerFor(PODS).cache.get(req.name, req.namespace);
    if (!cached) {
      this.written.delete(key);
      return;
    }
    const pod = newest(cached, this.written.get(key));
    const nodeIndex = this.nodes.get(((pod.spec as Obj | undefined)?.nodeName as string | undefined) ?? '');
    if (nodeIndex === undefined) return;
    if (pod.metadata.deletionTimestamp) return this.terminate(pod, key);
    const phase = (pod.status as Obj | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.written.delete(key);
      return;
    }
    let current = pod;
    if (!hasStarted(pod)) current = await this.start(pod, nodeIndex);
    const step = progress(current, this.ctx.clock.now());
    if (step.status) {
      for (const name of step.restarted) {
        void this.recorderFor(current).event(current, EventType.Normal, 'Started', `Started container ${name}`);
      }
      current = await this.writeStatus(current, step.status);
      // A container that ends gets no event of its own (the status says it); a restart waits in back-off.
      for (const { name } of step.ended) {
        const s = ((current.status as Obj).containerStatuses as Obj[]).find((c) => c.name === name);
        if (s?.state?.waiting?.reason === 'CrashLoopBackOff') {
          void this.recorderFor(current).event(current, EventType.Warning, 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
        }
      }
    }
    return step.wakeAfterMs !== undefined ? { requeueAfter: step.wakeAfterMs } : undefined;
  }

  private recorderFor(pod: KubeObject): EventRecorder {
    return this.recorders.get(((pod.spec as Obj | undefined)?.nodeName as string | undefined) ?? '')!;
  }

  /**
   * Graceful deletion, the kubelet's half (killPod, then the status manager's final delete):
   * stop the containers still running (a simulated container stops at once, without waiting
   * out the grace period), report the pod terminal (so whoever holds a finalizer on it, the
   * Job controller's job-tracking, sees how it ended), and delete it with grace period 0 so
   * it leaves the API. The uid precondition keeps a new pod of the same name safe.
   */
  private async terminate(pod: KubeObject, key: string): Promise<void> {
    const status = (pod.status ?? {}) as Obj;
    if (status.phase !== 'Succeeded' && status.phase !== 'Failed') {
      const running = ((status.containerStatuses ?? []) as Obj[]).filter((s) => s.state?.running);
      for (const s of running) void this.recorderFor(pod).event(pod, EventType.Normal, 'Killing', `Stopping container ${s.name}`);
      try {
        await this.writeStatus(pod, killedStatus(pod, this.ctx.clock.now()));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.written.delete(key);
        return;
      }
    }
    if ((pod.metadata.deletionGracePeriodSeconds ?? 0) > 0) {
      try {
        await this.ctx.client.delete(PODS, pod.metadata.name!, pod.metadata.namespace, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
    this.written.delete(key);
  }

  /** Pull, create and start every container: Pending with ContainerCreating, then Running. */
  private async start(pod: KubeObject, nodeIndex: number): Promise<KubeObject> {
    const now = this.ctx.clock.now();
    let current = await this.writeStatus(pod, pendingStatus(pod, now, nodeInternalIP(nodeIndex)));
    const containers = ((pod.spec as Obj).containers ?? []) as Obj[];
    for (const c of containers) {
      const image = String(c.image ?? '');
      const policy = c.imagePullPolicy ?? (image.includes(':') && !image.endsWith(':latest') ? 'IfNotPresent' : 'Always');
      if (policy === 'Always') {
        void this.recorderFor(current).event(current, EventType.Normal, 'Pulling', `Pulling image "${image}"`);
        void this.recorderFor(current).event(current, EventType.Normal, 'Pulled', `Successfully pulled image "${image}" in 0s (0s including waiting). Image size: 0 bytes.`);
      } else {
        void this.recorderFor(current).event(current, EventType.Normal, 'Pulled', `Container image "${image}" already present on machine`);
      }
      void this.recorderFor(current).event(current, EventType.Normal, 'Created', `Created container: ${c.name}`);
      void this.recorderFor(current).event(current, EventType.Normal, 'Started', `Started container ${c.name}`);
    }
    current = await this.writeStatus(current, runningStatus(current, now, this.allocateIP(nodeIndex)));
    return current;
  }

  /** A pod IP from the node's podCIDR 10.244.<n-1>.0/24, .1 being the gateway. */
  private allocateIP(nodeIndex: number): string {
    const n = (this.nextIP.get(nodeName(nodeIndex)) ?? 1) + 1;
    this.nextIP.set(nodeName(nodeIndex), n >= 255 ? 1 : n);
    return `10.244.${nodeIndex - 1}.${n}`;
  }

  private async writeStatus(pod: KubeObject, status: Obj): Promise<KubeObject> {
    const updated = await this.ctx.client.patch(PODS, pod.metadata.name!, { status }, 'merge', {
      namespace: pod.metadata.namespace,
      subresource: 'status',
    });
    this.written.set(`${pod.metadata.namespace}/${pod.metadata.name}`, updated);
    return updated;
  }
}

function hasStarted(pod: KubeObject): boolean {
  const statuses = ((pod.status as Obj | undefined)?.containerStatuses ?? []) as Obj[];
  return statuses.length > 0 && statuses.some((s) => s.state?.waiting?.reason !== 'ContainerCreating');
}

/** The later of two copies of an object, by resourceVersion (the same uid only). */
function newest(a: KubeObject, b: KubeObject | undefined): KubeObject {
  if (!b || b.metadata.uid !== a.metadata.uid) return a;
  const rv = (o: KubeObject) => Number(o.metadata.resourceVersion ?? 0);
  return rv(b) > rv(a) ? b : a;
}
