// The server's limits as clients meet them: a write beyond --max-mutating-requests-inflight
// gets kube's 429 with Retry-After, which kubectl retries on its own and client-node reports
// with the header; a request not answered within its timeout gets kube's 504 Timeout Status
// and changes nothing; a user's watches beyond --max-watches-per-user get 429 TooManyRequests.
// A request is held in flight deterministically by sending its headers and not yet its body.
import * as k8s from '@kubernetes/client-node';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api, openWatch } from './http-client.js';
import { metricValue, parseMetrics } from './metrics-helpers.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const [bin] = kubectlBinaries();
const skipKubectl = requireClient(bin !== undefined, 'kubectl');

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none', limits: { maxMutatingRequestsInflight: 1, maxWatchesPerUser: 2 } });
});
afterAll(async () => cluster?.stop());

/** A POST whose body is announced but not sent: in flight until finish() sends it. */
function heldPost(base: string, path: string, body: unknown) {
  const payload = JSON.stringify(body);
  let answered!: (r: { status: number; headers: http.IncomingHttpHeaders; text: string }) => void;
  const response = new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((r) => (answered = r));
  const req = http.request(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => answered({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
  });
  req.on('error', () => undefined);
  req.write(payload.slice(0, 1));
  return {
    response,
    finish: () => req.end(payload.slice(1)),
  };
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

const mutatingInFlight = async () => metricValue(parseMetrics(await (await fetch(`${cluster.url}/metrics`)).text()), 'apiserver_current_inflight_requests', { request_kind: 'mutating' });
const tooManyAnswered = async () => metricValue(parseMetrics(await (await fetch(`${cluster.url}/metrics`)).text()), 'apiserver_request_total', { code: '429' });
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

describe('max requests in flight', () => {
  it('answers a write beyond the limit 429 with Retry-After, as kube-apiserver\'s filter does; reads still pass', async () => {
    const held = heldPost(cluster.url, '/api/v1/namespaces/default/configmaps', cm('held-1'));
    await until(async () => (await mutatingInFlight()) === 1, 'the held write in flight');
    const c = api(cluster.url);
    const refused = await c.post('/api/v1/namespaces/default/configmaps', cm('refused'));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.text).toBe('Too many requests, please try again later.\n');
    expect((await c.get('/api/v1/namespaces/default/configmaps/refused')).status).toBe(404);
    expect((await c.get('/api/v1/namespaces/default/configmaps')).status).toBe(200);
    held.finish();
    expect((await held.response).status).toBe(201);
    expect((await c.post('/api/v1/namespaces/default/configmaps', cm('after'))).status).toBe(201);
  });

  it('client-node sees the 429 and its Retry-After, and succeeds once the server has room', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const held = heldPost(cluster.url, '/api/v1/namespaces/default/configmaps', cm('held-2'));
    await until(async () => (await mutatingInFlight()) === 1, 'the held write in flight');
    const err = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('from-client-node') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<unknown>).code).toBe(429);
    expect((err as k8s.ApiException<unknown>).headers['retry-after']).toBe('1');
    held.finish();
    await held.response;
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('from-client-node') });
    expect(created.metadata?.name).toBe('from-client-node');
  });

  it.skipIf(Boolean(skipKubectl))('kubectl retries a 429 on its own after Retry-After', async () => {
    const k = kubectl(bin!, cluster.kubeconfigPath);
    const held = heldPost(cluster.url, '/api/v1/namespaces/default/configmaps', cm('held-3'));
    await until(async () => (await mutatingInFlight()) === 1, 'the held write in flight');
    const before = await tooManyAnswered();
    const create = k(['create', 'configmap', 'from-kubectl', '--from-literal=a=b'], 60_000);
    await until(async () => (await tooManyAnswered()) > before, 'kubectl refused at least once');
    held.finish();
    await held.response;
    const res = await create;
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe('configmap/from-kubectl created\n');
  });
});

describe('request timeout', () => {
  it('answers a request not done within ?timeout= with kube\'s 504 Timeout Status, and the late body changes nothing', async () => {
    const held = heldPost(cluster.url, '/api/v1/namespaces/default/configmaps?timeout=1s', cm('too-slow'));
    const res = await held.response;
    expect(res.status).toBe(504);
    expect(JSON.parse(res.text)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
      reason: 'Timeout',
      details: {},
      code: 504,
    });
    held.finish();
    const c = api(cluster.url);
    // The slot is free again, and the object never appeared.
    await until(async () => (await mutatingInFlight()) === 0, 'the timed-out write no longer in flight');
    expect((await c.get('/api/v1/namespaces/default/configmaps/too-slow')).status).toBe(404);
  });
});

describe('watches per user', () => {
  it('refuses a watch beyond the cap with 429 TooManyRequests, until one closes', async () => {
    const w1 = openWatch(cluster.url, '/api/v1/namespaces/default/configmaps?watch=true');
    const w2 = openWatch(cluster.url, '/api/v1/pods?watch=true');
    await until(() => w1.status === 200 && w2.status === 200, 'two watches open');
    const c = api(cluster.url);
    const refused = await c.get('/api/v1/secrets?watch=true');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 1 },
      message: 'too many watches open for user "kubernetes-admin" (at most 2); stop some, or try again later',
    });
    // Short requests are not watches: they still pass.
    expect((await c.get('/api/v1/secrets')).status).toBe(200);
    w1.close();
    let w3: ReturnType<typeof openWatch> | undefined;
    await until(async () => {
      w3?.close();
      w3 = openWatch(cluster.url, '/api/v1/secrets?watch=true');
      await until(() => w3!.status !== 0 || w3!.ended, 'an answer');
      return w3.status === 200;
    }, 'a watch allowed again once one closed');
    w2.close();
    w3?.close();
  });
});
