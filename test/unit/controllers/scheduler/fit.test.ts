import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { NodeUsage } from '../../../../src/controllers/scheduler/node-usage.js';
import { fitErrorMessage, leastAllocatedScore, parseQuantity, podRequests, unfitReasons } from '../../../../src/controllers/scheduler/fit.js';

function node(name: string, extra: { labels?: Record<string, string>; spec?: object; ready?: string; alloc?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: extra.spec ?? {},
    status: { allocatable: extra.alloc ?? { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: extra.ready ?? 'True' }] },
  };
}

function pod(requests: Record<string, string> = {}, spec: object = {}, nodeName?: string, phase = 'Running'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests } }], ...(nodeName ? { nodeName } : {}), ...spec },
    status: { phase },
  };
}

const none = { cpu: 0, memory: 0, pods: 0 };

describe('quantities and requests', () => {
  it.each([
    ['100m', 0.1],
    ['2', 2],
    ['1Gi', 2 ** 30],
    ['500M', 5e8],
    ['1.5Ki', 1536],
    ['1e3', 1000],
    ['bogus', 0],
  ])('%s = %d', (q, n) => expect(parseQuantity(q)).toBeCloseTo(n));

  it('sums containers and takes the larger init container', () => {
    const p = pod({ cpu: '250m', memory: '64Mi' }, { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1' } } }] });
    expect(podRequests(p)).toEqual({ cpu: 1000, memory: 64 * 2 ** 20, pods: 1 });
  });

  /** The plain definition NodeUsage must agree with: unfinished pods bound to the node, summed. */
  const requestedOn = (nodeName: string, pods: KubeObject[]) =>
    pods
      .filter((p) => (p.spec as { nodeName?: string }).nodeName === nodeName && !['Succeeded', 'Failed'].includes(String((p.status as { phase?: string } | undefined)?.phase)))
      .map(podRequests)
      .reduce((a, r) => ({ cpu: a.cpu + r.cpu, memory: a.memory + r.memory, pods: a.pods + 1 }), { cpu: 0, memory: 0, pods: 0 });

  it('counts only unfinished pods bound to the node', () => {
    const pods = [pod({ cpu: '1' }, {}, 'a'), pod({ cpu: '1' }, {}, 'a', 'Succeeded'), pod({ cpu: '1' }, {}, 'b'), pod({ cpu: '1' })];
    const usage = new NodeUsage();
    pods.forEach((p, i) => usage.set(`ns/p${i}`, p));
    expect(usage.requested.get('a')).toEqual({ cpu: 1000, memory: 0, pods: 1 });
  });

  it.each([
    ['no pods', [], {}],
    ['unbound and finished pods hold nothing', [pod({ cpu: '1' }), pod({ cpu: '1' }, {}, 'a', 'Succeeded'), pod({ cpu: '1' }, {}, 'a', 'Failed')], {}],
    ['pods on two nodes', [pod({ cpu: '1' }, {}, 'a'), pod({ cpu: '500m', memory: '1Gi' }, {}, 'a'), pod({ cpu: '1' }, {}, 'b')], { a: { cpu: 1500, memory: 2 ** 30, pods: 2 }, b: { cpu: 1000, memory: 0, pods: 1 } }],
  ])('NodeUsage: %s, as requestedOn per node', (_what, pods, want) => {
    const usage = new NodeUsage();
    pods.forEach((p, i) => usage.set(`ns/p${i}`, p));
    expect(Object.fromEntries(usage.requested)).toEqual(want);
    for (const node of ['a', 'b']) expect(usage.requested.get(node) ?? { cpu: 0, memory: 0, pods: 0 }).toEqual(requestedOn(node, pods));
  });

  it.each<[string, (u: NodeUsage) => void, Record<string, unknown>]>([
    ['a pod bound later counts from then', (u) => (u.set('ns/x', pod({ cpu: '1' })), u.set('ns/x', pod({ cpu: '1' }, {}, 'a'))), { a: { cpu: 1000, memory: 0, pods: 1 } }],
    ['a pod that finishes frees its node', (u) => (u.set('ns/x', pod({ cpu: '1' }, {}, 'a')), u.set('ns/x', pod({ cpu: '1' }, {}, 'a', 'Succeeded'))), {}],
    ['a pod that leaves frees its node', (u) => (u.set('ns/x', pod({ cpu: '1' }, {}, 'a')), u.set('ns/y', pod({ cpu: '2' }, {}, 'a')), u.set('ns/x', undefined)), { a: { cpu: 2000, memory: 0, pods: 1 } }],
    ['an update counts once', (u) => (u.set('ns/x', pod({ cpu: '1' }, {}, 'a')), u.set('ns/x', pod({ cpu: '1' }, {}, 'a'))), { a: { cpu: 1000, memory: 0, pods: 1 } }],
    ['a delete of a pod never counted changes nothing', (u) => (u.set('ns/x', pod({ cpu: '1' }, {}, 'a')), u.set('ns/y', undefined)), { a: { cpu: 1000, memory: 0, pods: 1 } }],
  ])('NodeUsage follows changes: %s', (_what, steps, want) => {
    const usage = new NodeUsage();
    steps(usage);
    expect(Object.fromEntries(usage.requested)).toEqual(want);
  });
});

describe('unfitReasons', () => {
  it('fits a plain pod on a Ready node', () => {
    expect(unfitReasons(pod(), node('a'), none)).toEqual([]);
  });
  it('refuses nodes that are not Ready, cordoned, tainted or unmatched', () => {
    expect(unfitReasons(pod(), node('a', { ready: 'False' }), none)).toEqual(['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
    expect(unfitReasons(pod(), node('a', { spec: { unschedulable: true } }), none)).toEqual(['node(s) were unschedulable']);
    expect(unfitReasons(pod({}, { nodeSelector: { disktype: 'ssd' } }), node('a'), none)).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
    expect(unfitReasons(pod({}, { nodeSelector: { disktype: 'ssd' } }), node('a', { labels: { disktype: 'ssd' } }), none)).toEqual([]);
    const tainted = node('a', { spec: { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] } });
    expect(unfitReasons(pod(), tainted, none)).toEqual(['node(s) had untolerated taint {gpu: yes}']);
    expect(unfitReasons(pod({}, { tolerations: [{ key: 'gpu', operator: 'Exists' }] }), tainted, none)).toEqual([]);
  });
  it('checks requests against allocatable minus what is bound there', () => {
    expect(unfitReasons(pod({ cpu: '3' }), node('a'), { cpu: 2000, memory: 0, pods: 1 })).toEqual(['Insufficient cpu']);
    expect(unfitReasons(pod({ cpu: '2', memory: '17Gi' }), node('a'), none)).toEqual(['Insufficient memory']);
    expect(unfitReasons(pod(), node('a', { alloc: { cpu: '4', memory: '1Gi', pods: '1' } }), { cpu: 0, memory: 0, pods: 1 })).toEqual(['Too many pods']);
  });
});

describe('scoring and messages', () => {
  it('prefers the emptier node', () => {
    const p = pod({ cpu: '1' });
    expect(leastAllocatedScore(p, node('a'), none)).toBeGreaterThan(leastAllocatedScore(p, node('b'), { cpu: 2000, memory: 0, pods: 1 }));
  });
  it('counts and sorts reasons as FitError does', () => {
    expect(fitErrorMessage(1, [["node(s) didn't match Pod's node affinity/selector"]])).toBe(
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    expect(fitErrorMessage(3, [['Insufficient cpu'], ['Insufficient cpu', 'Insufficient memory'], ['node(s) were unschedulable']])).toMatch(
      /^0\/3 nodes are available: 1 Insufficient memory, 1 node\(s\) were unschedulable, 2 Insufficient cpu\./,
    );
    expect(fitErrorMessage(0, [])).toBe('no nodes available to schedule pods');
  });
});
