// /metrics as kube-apiserver serves it, read with `kubectl get --raw /metrics`: request counts
// and latencies by verb and resource, in-flight requests, open watches, stored objects by
// resource, and the process metrics; each cluster counts only its own requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api, openWatch } from './http-client.js';
import { metricValue, parseMetrics, type Sample } from './metrics-helpers.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const [bin] = kubectlBinaries();
const skip = requireClient(bin !== undefined, 'kubectl');

let cluster: Cluster;
let other: Cluster;
let k: ReturnType<typeof kubectl>;

beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' });
  other = await startCluster({ controllers: 'none' });
  if (bin) k = kubectl(bin, cluster.kubeconfigPath);
});
afterAll(async () => {
  await cluster?.stop();
  await other?.stop();
});

async function scrape(): Promise<Sample[]> {
  const res = await k(['get', '--raw', '/metrics']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return parseMetrics(res.stdout);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

const CONFIGMAP_CREATES = { name: 'apiserver_request_total', labels: { verb: 'POST', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'namespace', component: 'apiserver', code: '201' } };

describe.skipIf(Boolean(skip))('/metrics', () => {
  it('counts requests by verb, resource, scope and code, with their latencies', async () => {
    const before = await scrape();
    expect((await k(['create', 'configmap', 'metrics-a', '--from-literal=a=b'])).code).toBe(0);
    expect((await k(['create', 'configmap', 'metrics-b'])).code).toBe(0);
    expect((await k(['get', 'configmap', 'metrics-missing'])).code).not.toBe(0);
    expect((await k(['get', 'configmaps'])).code).toBe(0);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => metricValue(after, name, labels) - metricValue(before, name, labels);
    expect(delta(CONFIGMAP_CREATES.name, CONFIGMAP_CREATES.labels)).toBe(2);
    expect(delta('apiserver_request_total', { verb: 'GET', resource: 'configmaps', scope: 'resource', code: '404' })).toBe(1);
    expect(delta('apiserver_request_total', { verb: 'LIST', resource: 'configmaps', scope: 'namespace', code: '200' })).toBe(1);
    // The histogram's count moves with the counter; every sample sits in the +Inf bucket.
    const created = { verb: 'POST', resource: 'configmaps', scope: 'namespace' };
    expect(delta('apiserver_request_duration_seconds_count', created)).toBe(2);
    expect(delta('apiserver_request_duration_seconds_bucket', { ...created, le: '+Inf' })).toBe(2);
    expect(after.some((s) => s.name === 'apiserver_request_duration_seconds_bucket' && s.labels.le === '0.005')).toBe(true);
  });

  it('counts the in-process client too, and keeps clusters apart', async () => {
    const otherBefore = parseMetrics(await (await fetch(`${other.url}/metrics`)).text());
    const before = await scrape();
    await cluster.client.create({ group: '', version: 'v1', resource: 'configmaps', namespaced: true }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'in-process', namespace: 'default' } });
    const after = await scrape();
    expect(metricValue(after, CONFIGMAP_CREATES.name, CONFIGMAP_CREATES.labels) - metricValue(before, CONFIGMAP_CREATES.name, CONFIGMAP_CREATES.labels)).toBe(1);
    const otherAfter = parseMetrics(await (await fetch(`${other.url}/metrics`)).text());
    expect(metricValue(otherAfter, CONFIGMAP_CREATES.name, CONFIGMAP_CREATES.labels)).toBe(metricValue(otherBefore, CONFIGMAP_CREATES.name, CONFIGMAP_CREATES.labels));
  });

  it('reports stored objects by resource', async () => {
    const stored = () => scrape().then((s) => metricValue(s, 'apiserver_storage_objects', { resource: 'configmaps' }));
    const before = await stored();
    expect((await k(['create', 'configmap', 'metrics-stored'])).code).toBe(0);
    expect(await stored()).toBe(before + 1);
    expect((await k(['delete', 'configmap', 'metrics-stored'])).code).toBe(0);
    expect(await stored()).toBe(before);
    const all = await scrape();
    expect(metricValue(all, 'apiserver_storage_objects', { resource: 'namespaces' })).toBeGreaterThanOrEqual(4);
    expect(all.some((s) => s.name === 'apiserver_storage_objects' && s.labels.resource === 'deployments.apps')).toBe(true);
  });

  it('counts open watches as long-running requests, and the request in flight', async () => {
    const watching = () => scrape().then((s) => metricValue(s, 'apiserver_longrunning_requests', { verb: 'WATCH', resource: 'configmaps', scope: 'namespace' }));
    expect(await watching()).toBe(0);
    const w1 = openWatch(cluster.url, '/api/v1/namespaces/default/configmaps?watch=true');
    const w2 = openWatch(cluster.url, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0');
    await w2.next(1);
    await until(async () => (await watching()) === 2, 'two watches counted');
    w1.close();
    w2.close();
    await until(async () => (await watching()) === 0, 'closed watches no longer counted');
    const samples = await scrape();
    // The scrape itself is the read-only request in flight.
    expect(metricValue(samples, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' })).toBe(1);
    expect(metricValue(samples, 'apiserver_current_inflight_requests', { request_kind: 'mutating' })).toBe(0);
  });

  it('serves the process metrics and the text format Prometheus reads', async () => {
    const res = await api(cluster.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE apiserver_request_total counter');
    expect(res.text).toContain('# TYPE apiserver_request_duration_seconds histogram');
    const samples = parseMetrics(res.text);
    expect(metricValue(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(metricValue(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});
