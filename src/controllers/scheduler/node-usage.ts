// What the pods bound to each node request, kept current from the pod informer's events as
// kube-scheduler's cache keeps each NodeInfo's Requested: an attempt to place a pod reads the
// sums instead of adding up every pod of the cluster again.
import { objectKey } from '../runtime/cache.js';
import type { EventHandler } from '../runtime/informer.js';
import type { KubeObject } from '../runtime/types.js';
import { podRequests, type Resources } from './fit.js';

type Obj = Record<string, any>;

/** The node a pod holds resources on: bound there and not finished (kube's NodeInfo counts every assigned pod that has not terminated). */
function holder(pod: KubeObject): string | undefined {
  const nodeName = (pod.spec as Obj | undefined)?.nodeName;
  const phase = (pod.status as Obj | undefined)?.phase;
  return typeof nodeName === 'string' && nodeName !== '' && phase !== 'Succeeded' && phase !== 'Failed' ? nodeName : undefined;
}

export class NodeUsage {
  private readonly byNode = new Map<string, Resources>();
  /** Each counted pod's node and contribution, by namespace/name, so a change replaces it exactly. */
  private readonly counted = new Map<string, { node: string; r: Resources }>();

  /** The pod's current state (undefined once it is gone) replaces whatever it counted before. */
  set(key: string, pod: KubeObject | undefined): void {
    const old = this.counted.get(key);
    if (old) {
      const total = this.byNode.get(old.node)!;
      total.cpu -= old.r.cpu;
      total.memory -= old.r.memory;
      total.pods -= 1;
      if (total.pods === 0) this.byNode.delete(old.node);
      this.counted.delete(key);
    }
    const node = pod && holder(pod);
    if (!pod || !node) return;
    const r = podRequests(pod);
    let total = this.byNode.get(node);
    if (!total) this.byNode.set(node, (total = { cpu: 0, memory: 0, pods: 0 }));
    total.cpu += r.cpu;
    total.memory += r.memory;
    total.pods += 1;
    this.counted.set(key, { node, r });
  }

  /** Requested on each node with something bound (a node with nothing bound is absent). */
  get requested(): ReadonlyMap<string, Resources> {
    return this.byNode;
  }

  /** The informer events that keep it current. */
  handler(): EventHandler {
    return {
      onAdd: (pod) => this.set(objectKey(pod), pod),
      onUpdate: (_old, pod) => this.set(objectKey(pod), pod),
      onDelete: (pod) => this.set(objectKey(pod), undefined),
    };
  }
}
