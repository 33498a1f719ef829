// The Website operator example (examples/website-operator/operator.ts, client-node) run as a
// subprocess against kubesim over HTTP, the way the operator-pattern lesson runs it: the CRD
// and the Website applied with real kubectl, kubesim running the scheduler, kubelet,
// ReplicaSet, Deployment and garbage-collector controllers, so the Deployment the operator
// makes really gets ready pods and deleting the Website really takes everything with it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, startCluster, type Client, type Cluster, type KubeObject, type ResourceRef } from '../../src/index.js';
import { CONTENT_HASH, contentHash, type WebsiteStatus } from '../../examples/website-operator/desired.js';
import { Example, root, startExample } from './example-process.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const NS = 'web';
const WEBSITES: ResourceRef = { group: 'web.example.com', version: 'v1', resource: 'websites', namespaced: true };
const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
/** Starting tsx and importing client-node takes a while on a busy machine. */
const START_MS = 40_000;

const bin = kubectlBinaries()[0];
const skip = requireClient(bin !== undefined, 'kubectl');

type Any = Record<string, any>;
const sample = parse(readFileSync(`${root}examples/website-operator/website.yaml`, 'utf8')) as Any;

describe.skipIf(Boolean(skip))('examples/website-operator/operator.ts (client-node)', () => {
  let cluster: Cluster;
  let client: Client;
  let k: ReturnType<typeof kubectl>;
  let op: Example;
  let uid: string;

  /** kubectl in the test namespace; a failure fails the test with kubectl's stderr. */
  const kc = async (...args: string[]) => {
    const res = await k([...args, '-n', NS]);
    expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
    return res.stdout;
  };
  const getOrUndefined = async (ref: ResourceRef, name: string) => {
    try {
      return await client.get(ref, name, NS);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
  const website = async () => (await client.get(WEBSITES, 'hello', NS)) as KubeObject & { status?: WebsiteStatus };
  const deployment = async () => (await client.get(DEPLOYMENTS, 'hello', NS)) as Any;

  beforeAll(async () => {
    cluster = await startCluster({ controllers: ['scheduler', 'kubelet', 'replicaset', 'deployment', 'garbagecollector'], port: 0 });
    client = cluster.client;
    k = kubectl(bin!, cluster.kubeconfigPath);
    await kc('create', 'namespace', NS);
    await kc('apply', '-f', `${root}examples/website-operator/crd.yaml`);
    await kc('wait', '--for=condition=Established', 'crd/websites.web.example.com', '--timeout=10s');
    // No --namespace: the operator watches every namespace, as the README runs it.
    op = startExample(process.execPath, ['--import', 'tsx', 'examples/website-operator/operator.ts'], cluster.kubeconfigPath);
    await op.waitFor('the operator to start', async () => op.output().includes('watching Websites in all namespaces'), START_MS);
  }, START_MS + 15_000);
  afterAll(async () => {
    op?.kill();
    await cluster?.stop();
  });

  it('makes the ConfigMap, Deployment and Service of a Website, each owned by it', async () => {
    await kc('apply', '-f', `${root}examples/website-operator/website.yaml`);
    uid = (await website()).metadata.uid!;
    const owner = [{ apiVersion: 'web.example.com/v1', kind: 'Website', name: 'hello', uid, controller: true, blockOwnerDeletion: true }];
    const labels = { 'app.kubernetes.io/name': 'hello', 'app.kubernetes.io/managed-by': 'website-operator' };

    const cm = await op.waitFor('the ConfigMap', () => getOrUndefined(CONFIGMAPS, 'hello-content'));
    expect(cm.metadata).toMatchObject({ labels, ownerReferences: owner });
    expect(cm.data).toEqual({ 'index.html': sample.spec.content });

    const deploy = (await op.waitFor('the Deployment', () => getOrUndefined(DEPLOYMENTS, 'hello'))) as Any;
    expect(deploy.metadata).toMatchObject({ labels, ownerReferences: owner });
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'hello' } });
    expect(deploy.spec.template.metadata.annotations).toEqual({ [CONTENT_HASH]: contentHash(sample.spec.content) });
    const container = deploy.spec.template.spec.containers[0];
    expect(container).toMatchObject({ image: 'nginx:1.27', volumeMounts: [{ name: 'content', mountPath: '/usr/share/nginx/html', readOnly: true }] });
    expect(deploy.spec.template.spec.volumes).toEqual([{ name: 'content', configMap: { name: 'hello-content', defaultMode: 420 } }]);

    const svc = (await op.waitFor('the Service', () => getOrUndefined(SERVICES, 'hello'))) as Any;
    expect(svc.metadata).toMatchObject({ labels, ownerReferences: owner });
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'hello' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }] });

    for (const line of ['created configmap web/hello-content', 'created deployment web/hello', 'created service web/hello']) {
      await op.waitFor(`the log line "${line}"`, async () => op.output().includes(line));
    }
  });

  it('reports the ready pods, the URL and Available in the status, and kubectl shows them', async () => {
    const ws = await op.waitFor('readyReplicas 2 and Available', async () => {
      const w = await website();
      return w.status?.readyReplicas === 2 && w.status.conditions?.some((c) => c.type === 'Available' && c.status === 'True') && w;
    });
    expect(ws.status).toMatchObject({ readyReplicas: 2, url: 'http://hello.web.svc.cluster.local', observedGeneration: 1 });
    expect(ws.status!.conditions).toEqual([{ type: 'Available', status: 'True', reason: 'ReplicasReady', message: '2 of 2 replicas ready', lastTransitionTime: expect.stringMatching(/Z$/) }]);
    // The printer columns, through the short name.
    const table = await kc('get', 'ws');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+REPLICAS\s+READY\s+IMAGE\s+URL\s+AGE$/);
    expect(table.split('\n')[1]).toMatch(/^hello\s+2\s+2\s+nginx:1\.27\s+http:\/\/hello\.web\.svc\.cluster\.local\s+\S+$/);
  });

  it('scales the Deployment when spec.replicas changes', async () => {
    await kc('patch', 'website', 'hello', '--type=merge', '-p', '{"spec":{"replicas":3}}');
    await op.waitFor('the Deployment at 3 replicas', async () => (await deployment()).spec.replicas === 3);
    const ws = await op.waitFor('readyReplicas 3', async () => {
      const w = await website();
      return w.status?.readyReplicas === 3 && w.status.observedGeneration === 2 && w;
    });
    expect(ws.status!.conditions?.[0]).toMatchObject({ type: 'Available', status: 'True' });
  });

  it('puts spec.replicas back when someone scales the Deployment by hand', async () => {
    const before = (await deployment()).metadata.generation as number;
    const updates = () => op.output().split('\n').filter((l) => l === 'updated deployment web/hello').length;
    const updatesBefore = updates();
    await kc('scale', 'deployment', 'hello', '--replicas=5');
    // Two changes: kubectl's to 5, then the operator's back to 3.
    const after = await op.waitFor('the Deployment set back to 3', async () => {
      const d = await deployment();
      return d.metadata.generation >= before + 2 && d.spec.replicas === 3 && d;
    });
    expect(after.spec.replicas).toBe(3);
    await op.waitFor('its log line', async () => updates() > updatesBefore);
  });

  it('updates the ConfigMap and rolls new pods when the content changes', async () => {
    const content = '<h1>Hello again</h1>\n';
    await kc('patch', 'website', 'hello', '--type=merge', '-p', JSON.stringify({ spec: { content } }));
    await op.waitFor('the new content', async () => ((await client.get(CONFIGMAPS, 'hello-content', NS)) as Any).data?.['index.html'] === content);
    // A new pod-template hash: the Deployment makes a new ReplicaSet and scales it up.
    const rolled = await op.waitFor('a ReplicaSet of the new content with 3 ready pods', async () => {
      const sets = (await client.list(REPLICASETS, { namespace: NS, labelSelector: 'app.kubernetes.io/name=hello' })).items as Any[];
      return sets.find((rs) => rs.spec.template.metadata.annotations?.[CONTENT_HASH] === contentHash(content) && rs.status?.readyReplicas === 3) && sets;
    });
    expect(rolled.length).toBe(2);
    await op.waitFor('its log line', async () => op.output().includes('updated configmap web/hello-content'));
  });

  it('makes the Service again when someone deletes it', async () => {
    const old = (await client.get(SERVICES, 'hello', NS)).metadata.uid;
    await kc('delete', 'service', 'hello');
    const svc = await op.waitFor('the Service made again', async () => {
      const s = await getOrUndefined(SERVICES, 'hello');
      return s && s.metadata.uid !== old && s;
    });
    expect(svc.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Website', name: 'hello', uid });
  });

  it('refuses a Website that fails the schema, with the API server message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'website-'));
    writeFileSync(join(dir, 'big.yaml'), `apiVersion: web.example.com/v1\nkind: Website\nmetadata:\n  name: big\nspec:\n  replicas: 20\n  content: hi\n`);
    const res = await k(['apply', '-f', join(dir, 'big.yaml'), '-n', NS]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('The Website "big" is invalid: spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10');
    expect(await getOrUndefined(WEBSITES, 'big')).toBeUndefined();
  });

  it('deleting the Website deletes all it owned, through the garbage collector', async () => {
    await kc('delete', 'website', 'hello');
    await kc('wait', '--for=delete', 'deployment/hello', 'service/hello', 'configmap/hello-content', '--timeout=20s');
    await kc('wait', '--for=delete', 'pod', '-l', 'app.kubernetes.io/name=hello', '--timeout=20s');
    expect(await getOrUndefined(DEPLOYMENTS, 'hello')).toBeUndefined();
    expect((await client.list(REPLICASETS, { namespace: NS })).items).toEqual([]);
  });

  it('stops cleanly on SIGTERM', async () => {
    op.child.kill('SIGTERM');
    expect(await op.exited, op.output()).toEqual({ code: 0, signal: null });
    expect(op.output()).toContain('SIGTERM: stopping');
  });
});
