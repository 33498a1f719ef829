// The memory scenario's measuring process (run with --expose-gc, so each reading follows a full
// collection): heap and RSS before and after storing `count` ~1 KB Pods in a cluster with no
// controllers. The first `sample` Pods go through the real create path (the in-process client:
// routing, defaulting, validation, managedFields, storage); the pipeline costs about a
// millisecond a Pod, so the rest are parsed copies of those stored Pods with a name, uid,
// labels and payload of their own, stored straight into the same storage. Prints one JSON line.
import { parseArgs } from 'node:util';
import type { ResourceRef } from '../src/clients/interfaces.js';
import type { KubeObject } from '../src/apiserver/object.js';
import { startClusterWithStorage } from './cluster-storage.js';

const { values } = parseArgs({ options: { count: { type: 'string' }, sample: { type: 'string' } } });
const count = Number(values.count ?? 100_000);
const sample = Math.min(count, Number(values.sample ?? 2000));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const nsName = (n: number) => `mem-${String(n % 100).padStart(2, '0')}`;
const podName = (i: number) => `pod-${String(i).padStart(6, '0')}`;
/** 64 characters of its own for every Pod, so no two Pods share a payload string. */
const payload = (i: number) => `${i.toString(36).padStart(8, '0')}-${'0123456789abcdef'.repeat(4).slice(0, 55)}`;

function pod(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName(i), namespace: nsName(i), labels: { app: `a${Math.floor(i / 100) % 100}`, tier: `t${i % 7}` } },
    spec: {
      nodeName: `node-${i % 50}`,
      containers: [{ name: 'app', image: 'registry.example/team/app:1.4.2', args: ['--port=8080'], env: [{ name: 'TOKEN', value: payload(i) }] }],
    },
  };
}

function reading() {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

const { cluster, storage } = await startClusterWithStorage({ controllers: 'none', logLevel: 'silent' });
const c = cluster.client;
for (let n = 0; n < 100; n++) await c.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(n) } });
// Warm the create path (validators, schemas, lazily built tables) before the first reading.
for (let i = 0; i < 20; i++) await c.create(PODS, { ...pod(i), metadata: { ...pod(i).metadata, name: `warm-${i}` } });
const before = reading();

let next = 0;
await Promise.all(
  Array.from({ length: 20 }, async () => {
    while (next < sample) await c.create(PODS, pod(next++));
  }),
);
const afterSample = reading();
// Each copy is its own parse, as a request body would be: nothing shared with the Pod it copies.
const sources = Array.from({ length: Math.min(sample, 100) }, (_, i) => storage.get('pods', `${nsName(i)}/${podName(i)}`)!);
for (let i = sample; i < count; i++) {
  const obj = JSON.parse(JSON.stringify(sources[i % sources.length])) as KubeObject & { spec: { nodeName: string; containers: Array<{ env: Array<{ value: string }> }> } };
  const shape = pod(i);
  obj.metadata.name = shape.metadata.name;
  obj.metadata.namespace = shape.metadata.namespace;
  obj.metadata.labels = shape.metadata.labels;
  obj.metadata.uid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  obj.spec.nodeName = shape.spec.nodeName;
  obj.spec.containers[0]!.env[0]!.value = payload(i);
  storage.create('pods', `${shape.metadata.namespace}/${shape.metadata.name}`, obj);
}
sources.length = 0;
const after = reading();

let jsonBytes = 0;
let measured = 0;
for (let i = 0; i < count; i += Math.max(1, Math.floor(count / 1000))) {
  const obj = storage.get('pods', `${nsName(i)}/${podName(i)}`);
  if (!obj) throw new Error(`pod ${i} is not stored`);
  jsonBytes += Buffer.byteLength(JSON.stringify(obj));
  measured++;
}
console.log(
  JSON.stringify({
    count,
    sample,
    meanJsonBytes: jsonBytes / measured,
    heapPerObject: (after.heap - before.heap) / count,
    rssPerObject: (after.rss - before.rss) / count,
    heapPerObjectSample: (afterSample.heap - before.heap) / sample,
  }),
);
await cluster.stop();
process.exit(0);
