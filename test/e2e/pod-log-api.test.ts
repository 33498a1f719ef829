// GET pods/{name}/log over HTTP, without controllers: each test writes the pod's status
// itself (as a kubelet would), so what the endpoint serves is exact. The clock is virtual,
// so `follow` is driven by advancing it.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, VirtualClock } from '../../src/index.js';
import { api } from './http-client.js';
import { waitFor } from './controller-harness.js';

type Obj = Record<string, any>;
const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const t0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (s: number) => new Date(t0 + s * 1000).toISOString().replace('.000Z', 'Z');

let cluster: Cluster;
let clock: VirtualClock;
let c: ReturnType<typeof api>;

beforeAll(async () => {
  clock = new VirtualClock(new Date());
  cluster = await startCluster({ controllers: 'none', clock });
  clock.set(new Date(t0));
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

const log = (pod: string, query = '') => c.get(`/api/v1/namespaces/default/pods/${pod}/log${query ? `?${query}` : ''}`);

/** A pod on a node, its status as given (a running container by default, started at t0 + startedAt s). */
async function runPod(name: string, opts: { script?: string; containers?: Obj[]; status?: Obj[]; nodeName?: string | null; annotations?: Obj } = {}): Promise<void> {
  const containers = opts.containers ?? [{ name: 'main', image: 'busybox', command: ['sh', '-c', opts.script ?? 'echo hi'] }];
  const spec: Obj = { restartPolicy: 'Always', containers };
  if (opts.nodeName !== null) spec.nodeName = opts.nodeName ?? 'kubesim-node-1';
  await cluster.client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations: opts.annotations }, spec });
  const containerStatuses = opts.status ?? [{ name: 'main', containerID: `kubesim://${name}-1`, state: { running: { startedAt: iso(0) } } }];
  await cluster.client.patch(PODS, name, { status: { phase: 'Running', containerStatuses } }, 'merge', { namespace: 'default', subresource: 'status' });
}

/** Opens a follow stream and collects what arrives. */
function follow(path: string) {
  let text = '';
  let ended = false;
  let status = 0;
  const req = http.get(new URL(path, cluster.url), (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.on('end', () => (ended = true));
  });
  req.on('error', () => (ended = true));
  return {
    get text() {
      return text;
    },
    get ended() {
      return ended;
    },
    get status() {
      return status;
    },
    has: (want: string) => waitFor(`stream to read ${JSON.stringify(want)} (has ${JSON.stringify(text)})`, async () => text === want),
    end: () => waitFor('the stream to end', async () => ended),
    abort: () => req.destroy(),
  };
}

describe('pods/log', () => {
  it('serves the lines printed so far as text/plain, more as the clock moves', async () => {
    await runPod('steps', { script: 'echo start; sleep 5; echo done' });
    clock.set(new Date(t0 + 2000));
    const res = await log('steps');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.text).toBe('start\n');
    clock.set(new Date(t0 + 5000));
    expect((await log('steps')).text).toBe('start\ndone\n');
  });

  it('applies timestamps, tailLines, sinceSeconds, sinceTime and limitBytes as the kubelet does', async () => {
    await runPod('opts', { script: 'for i in 1 2 3 4; do echo "line $i"; sleep 10; done' });
    clock.set(new Date(t0 + 35_000));
    expect((await log('opts')).text).toBe('line 1\nline 2\nline 3\nline 4\n');
    expect((await log('opts', 'timestamps=true')).text.split('\n')[1]).toBe('2026-01-01T00:00:10Z line 2');
    expect((await log('opts', 'tailLines=2')).text).toBe('line 3\nline 4\n');
    expect((await log('opts', 'tailLines=0')).text).toBe('');
    expect((await log('opts', 'sinceSeconds=10')).text).toBe('line 4\n');
    expect((await log('opts', `sinceTime=${iso(10)}`)).text).toBe('line 2\nline 3\nline 4\n');
    expect((await log('opts', 'limitBytes=10')).text).toBe('line 1\nlin');
    // The kubelet takes the tail first, then drops what is older than since.
    expect((await log('opts', 'tailLines=3&sinceSeconds=20')).text).toBe('line 3\nline 4\n');
  });

  it('chooses the container, with the API server\'s errors when it cannot', async () => {
    const containers = [
      { name: 'a', image: 'busybox', command: ['echo', 'from a'] },
      { name: 'b', image: 'busybox', command: ['echo', 'from b'] },
    ];
    const status = ['a', 'b'].map((n) => ({ name: n, containerID: `kubesim://two-${n}`, state: { terminated: { exitCode: 0, startedAt: iso(0), finishedAt: iso(0), containerID: `kubesim://two-${n}` } } }));
    await runPod('two', { containers, status });
    expect((await log('two', 'container=b')).text).toBe('from b\n');
    const none = await log('two');
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'a container name must be specified for pod two, choose one of: [a b]' });
    expect((await log('two', 'container=c')).body).toMatchObject({ code: 400, message: 'container c is not valid for pod two' });
    expect((await log('missing')).body).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "missing" not found' });
  });

  it('reports what the kubelet reports for containers without logs', async () => {
    await runPod('creating', { status: [{ name: 'main', state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect((await log('creating')).body).toMatchObject({ code: 400, reason: 'BadRequest', message: 'container "main" in pod "creating" is waiting to start: ContainerCreating' });
    expect((await log('creating', 'previous=true')).body).toMatchObject({ code: 400, message: 'previous terminated container "main" in pod "creating" not found' });
    await runPod('unscheduled', { nodeName: null, status: [] });
    const empty = await log('unscheduled');
    expect([empty.status, empty.text]).toEqual([200, '']);
  });

  it('serves the run before a restart with previous=true, and it while in back-off', async () => {
    const previous = { exitCode: 1, reason: 'Error', startedAt: iso(0), finishedAt: iso(5), containerID: 'kubesim://crash-1' };
    await runPod('crash', {
      script: 'date; sleep 5; exit 1',
      status: [{ name: 'main', restartCount: 1, containerID: 'kubesim://crash-2', lastState: { terminated: previous }, state: { running: { startedAt: iso(20) } } }],
    });
    clock.set(new Date(t0 + 21_000));
    expect((await log('crash')).text).toBe('Thu Jan  1 00:00:20 UTC 2026\n');
    expect((await log('crash', 'previous=true')).text).toBe('Thu Jan  1 00:00:00 UTC 2026\n');
    await cluster.client.patch(PODS, 'crash', { status: { containerStatuses: [{ name: 'main', restartCount: 1, lastState: { terminated: previous }, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, 'merge', { namespace: 'default', subresource: 'status' });
    expect((await log('crash')).text).toBe('Thu Jan  1 00:00:00 UTC 2026\n');
  });

  it('answers at once for a program that never prints and never ends', async () => {
    clock.set(new Date(t0 + 3_600_000));
    await runPod('quiet', { script: 'while true; do sleep 30; done' });
    const res = await log('quiet');
    expect([res.status, res.text]).toEqual([200, '']);
    clock.set(new Date(t0));
  });

  it('takes the kubesim.dev/logs annotation as the output', async () => {
    await runPod('canned', { annotations: { 'kubesim.dev/logs': 'one\ntwo' } });
    expect((await log('canned')).text).toBe('one\ntwo\n');
  });

  it('checks its parameters as kube-apiserver does', async () => {
    const invalid = async (query: string, message: string) => {
      const res = await log('steps', query);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ reason: 'Invalid', details: { kind: 'PodLogOptions', name: 'steps' }, message });
    };
    await invalid('tailLines=-1', 'PodLogOptions "steps" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    await invalid('limitBytes=0', 'PodLogOptions "steps" is invalid: limitBytes: Invalid value: 0: must be greater than 0');
    await invalid('sinceSeconds=0', 'PodLogOptions "steps" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0');
    const both = await log('steps', `sinceSeconds=5&sinceTime=${iso(0)}`);
    expect(both.body.message).toContain('at most one of `sinceTime` or `sinceSeconds` may be specified');
    expect((await log('steps', 'tailLines=ten')).body).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect((await log('steps', 'follow=maybe')).body).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect((await c.post('/api/v1/namespaces/default/pods/steps/log', {})).status).toBe(405);
  });

  it('lists pods/log in discovery', async () => {
    const list = (await c.get('/api/v1')).body;
    expect(list.resources).toContainEqual({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  });
});

describe('pods/log?follow=true', () => {
  it('writes each line when the clock reaches it and ends with the container', async () => {
    clock.set(new Date(t0));
    await runPod('follow', { script: 'echo a; sleep 2; echo b; sleep 2; echo c; sleep 1' });
    const timers = clock.pendingTimers();
    clock.set(new Date(t0 + 1000));
    const s = follow('/api/v1/namespaces/default/pods/follow/log?follow=true&timestamps=true');
    await s.has('2026-01-01T00:00:00Z a\n');
    expect(s.status).toBe(200);
    clock.advance(1500);
    await s.has('2026-01-01T00:00:00Z a\n2026-01-01T00:00:02Z b\n');
    expect(s.ended).toBe(false);
    clock.advance(10_000);
    await s.end();
    expect(s.text).toBe('2026-01-01T00:00:00Z a\n2026-01-01T00:00:02Z b\n2026-01-01T00:00:04Z c\n');
    expect(clock.pendingTimers()).toBe(timers);
  });

  it('ends when the pod is deleted, and cleans up when the client goes away', async () => {
    clock.set(new Date(t0));
    await runPod('forever', { script: 'while true; do echo tick; sleep 10; done' });
    const timers = clock.pendingTimers();
    const s = follow('/api/v1/namespaces/default/pods/forever/log?follow=true');
    await s.has('tick\n');
    clock.advance(10_000);
    await s.has('tick\ntick\n');
    // No kubelet here to finish a graceful deletion: delete at once.
    await cluster.client.delete(PODS, 'forever', 'default', { gracePeriodSeconds: 0 });
    await s.end();

    await runPod('forever2', { script: 'while true; do echo tock; sleep 10; done' });
    const s2 = follow('/api/v1/namespaces/default/pods/forever2/log?follow=true');
    await s2.has('tock\ntock\n'); // started at t0, read at t0 + 10 s
    expect(clock.pendingTimers()).toBe(timers + 1);
    s2.abort();
    await waitFor('the stream timer to be cleared', async () => clock.pendingTimers() === timers);
  });

  it('ends when the run ends early (the kubelet reports it terminated)', async () => {
    clock.set(new Date(t0));
    await runPod('killed', { script: 'echo up; sleep 100; echo never' });
    const s = follow('/api/v1/namespaces/default/pods/killed/log?follow=true');
    await s.has('up\n');
    clock.advance(3000);
    const terminated = { exitCode: 137, reason: 'Error', startedAt: iso(0), finishedAt: iso(3), containerID: 'kubesim://killed-1' };
    await cluster.client.patch(PODS, 'killed', { status: { containerStatuses: [{ name: 'main', containerID: 'kubesim://killed-1', state: { terminated } }] } }, 'merge', { namespace: 'default', subresource: 'status' });
    await s.end();
    expect(s.text).toBe('up\n');
  });
});

describe('pods/log in OpenAPI', () => {
  it('documents the path with its query parameters and a text/plain answer, in v3 and v2', async () => {
    const v3 = (await c.get('/openapi/v3/api/v1')).body;
    const path = v3.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'];
    expect(path.get).toMatchObject({ operationId: 'readCoreV1NamespacedPodLog', 'x-kubernetes-action': 'get', responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } } } } });
    expect(path.parameters.map((p: Obj) => p.name)).toEqual(['container', 'follow', 'insecureSkipTLSVerifyBackend', 'limitBytes', 'name', 'namespace', 'pretty', 'previous', 'sinceSeconds', 'tailLines', 'timestamps']);
    const v2 = (await c.get('/openapi/v2', { accept: 'application/json' })).body;
    expect(v2.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'].get).toMatchObject({ produces: ['text/plain'], responses: { '200': { schema: { type: 'string' } } } });
  });
});
