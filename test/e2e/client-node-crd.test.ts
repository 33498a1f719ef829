// @kubernetes/client-node's CustomObjectsApi against custom resources served from a CRD.
import * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';

const crd = parse(readFileSync(fileURLToPath(new URL('./testdata/crontab-crd.yaml', import.meta.url)), 'utf8'));
const group = 'stable.example.com';
const version = 'v1';
const plural = 'crontabs';
const namespace = 'default';

let cluster: Cluster;
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;

beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' }); // the crontab controller would install the CRD first
  kc = new k8s.KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  // Created as YAML-decoded JSON: client-node's serializer would drop the schema's `default`
  // keys (its JSONSchemaProps model names that field `_default`).
  const res = await fetch(`${cluster.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(crd),
  });
  expect(res.status).toBe(201);
  for (let i = 0; i < 100; i++) {
    const got = await ext.readCustomResourceDefinition({ name: 'crontabs.stable.example.com' });
    if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
});
afterAll(async () => cluster?.stop());

const cronTab = (name: string, spec: Record<string, unknown>) => ({ apiVersion: `${group}/${version}`, kind: 'CronTab', metadata: { name }, spec });

describe('CustomObjectsApi', () => {
  it('creates (with defaults), lists and gets custom resources', async () => {
    const created = (await custom.createNamespacedCustomObject({ group, version, namespace, plural, body: cronTab('a', { cronSpec: '* * * * *', image: 'x' }) })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(created.spec.replicas).toBe(1);
    expect(created.metadata.generation).toBe(1);
    const list = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(list.kind).toBe('CronTabList');
    expect(list.items.map((i: any) => i.metadata.name)).toEqual(['a']); // eslint-disable-line @typescript-eslint/no-explicit-any
    const got = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name: 'a' })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(got.spec.image).toBe('x');
  });

  it('patches with merge patch and JSON patch; strategic merge patch is 415', async () => {
    const merged = (await custom.patchNamespacedCustomObject(
      { group, version, namespace, plural, name: 'a', body: { spec: { image: 'y' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    )) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(merged.spec.image).toBe('y');
    expect(merged.metadata.generation).toBe(2);
    const jsonPatched = (await custom.patchNamespacedCustomObject(
      { group, version, namespace, plural, name: 'a', body: [{ op: 'replace', path: '/spec/replicas', value: 4 }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    )) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(jsonPatched.spec.replicas).toBe(4);
    const smp = await custom
      .patchNamespacedCustomObject(
        { group, version, namespace, plural, name: 'a', body: { spec: { image: 'z' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      )
      .catch((e: k8s.ApiException<string>) => e);
    expect((smp as k8s.ApiException<string>).code).toBe(415);
  });

  it('answers 422 with field paths for an invalid custom resource', async () => {
    const err = (await custom
      .createNamespacedCustomObject({ group, version, namespace, plural, body: cronTab('bad', { cronSpec: 'nope', replicas: 'three' }) })
      .catch((e: k8s.ApiException<string>) => e)) as k8s.ApiException<string>;
    expect(err.code).toBe(422);
    const status = JSON.parse(err.body);
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes.map((c: any) => c.field).sort()).toEqual(['spec.cronSpec', 'spec.image', 'spec.replicas']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(status.message).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
  });

  it('watches custom resources', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(`/apis/${group}/${version}/namespaces/${namespace}/${plural}`, {}, (type, obj) => seen.push(`${type} ${obj.metadata.name}`), () => {});
    await custom.createNamespacedCustomObject({ group, version, namespace, plural, body: cronTab('w', { cronSpec: '* * * * *', image: 'x' }) });
    await custom.deleteNamespacedCustomObject({ group, version, namespace, plural, name: 'w' });
    for (let i = 0; i < 100 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    req.abort();
    expect(seen).toEqual(['ADDED a', 'ADDED w', 'DELETED w']);
  });
});
