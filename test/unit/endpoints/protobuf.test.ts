// `kubectl create <kind>` sends its body as Kubernetes protobuf. Each fixture below is a body
// captured from kubectl (1.32.5 and 1.33.1 send the same bytes), and `want` is what
// `kubectl create ... --dry-run=client -o json` prints for the same command, less
// `creationTimestamp: null`: the object kube-apiserver would decode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBody } from '../../../src/apiserver/endpoints/decode.js';
import { decodeKubernetesProtobuf } from '../../../src/apiserver/endpoints/protobuf/decode.js';
import { startCluster, type Cluster } from '../../../src/index.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

interface Fixture {
  command: string;
  body: string;
  want: Record<string, unknown>;
}

const fixtures: Fixture[] = [
  {
    command: 'kubectl create ns capns',
    body: 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh0KFQoFY2FwbnMSABoAIgAqADIAOABCABIAGgIKABoAIgA=',
    want: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'capns' }, spec: {}, status: {} },
  },
  {
    command: 'kubectl create deployment web --image=nginx --replicas=2',
    body:
      'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EqsBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEnoIAhIMCgoK' +
      'A2FwcBIDd2ViGmAKHAoAEgAaACIAKgAyADgAQgBaCgoDYXBwEgN3ZWISQBIiCgVuZ2lueBIFbmdpbngqAEIAagByAIABAIgB' +
      'AJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==',
    want: {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    },
  },
  {
    command: 'kubectl create configmap x --from-literal=a=b',
    body: 'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEhsKEQoBeBIAGgAiACoAMgA4AEIAEgYKAWESAWIaACIA',
    want: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' }, data: { a: 'b' } },
  },
  {
    command: 'kubectl create secret generic s --from-literal=a=b',
    body: 'azhzAAoMCgJ2MRIGU2VjcmV0Eh0KEQoBcxIAGgAiACoAMgA4AEIAEgYKAWESAWIaABoAIgA=',
    want: { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' }, data: { a: 'Yg==' } },
  },
  {
    command: 'kubectl create service clusterip s --tcp=80:8080',
    body:
      'azhzAAoNCgJ2MRIHU2VydmljZRJjChsKAXMSABoAIgAqADIAOABCAFoICgNhcHASAXMSQAobCgc4MC04MDgwEgNUQ1AYUCIH' +
      'CAAQkD8aACgAEggKA2FwcBIBcxoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==',
    want: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 's', labels: { app: 's' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }],
        selector: { app: 's' },
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    },
  },
  {
    command: 'kubectl create job j --image=busybox',
    body:
      'azhzAAoPCghiYXRjaC92MRIDSm9iEngKEQoBahIAGgAiACoAMgA4AEIAElkyVwoQCgASABoAIgAqADIAOABCABJDEiAKAWoS' +
      'B2J1c3lib3gqAEIAagByAIABAIgBAJABAKIBABoFTmV2ZXIyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoIIAAoADAAOgAa' +
      'ACIA',
    want: {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: { name: 'j' },
      spec: {
        template: {
          metadata: {},
          spec: { containers: [{ name: 'j', image: 'busybox', resources: {} }], restartPolicy: 'Never' },
        },
      },
      status: {},
    },
  },
  {
    command: 'kubectl create cronjob c --image=busybox --schedule=\'*/5 * * * *\'',
    body:
      'azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKbAQoRCgFjEgAaACIAKgAyADgAQgASgwEKCyovNSAqICogKiAqGgAqcgoRCgFj' +
      'EgAaACIAKgAyADgAQgASXTJbChAKABIAGgAiACoAMgA4AEIAEkcSIAoBYxIHYnVzeWJveCoAQgBqAHIAgAEAiAEAkAEAogEA' +
      'GglPbkZhaWx1cmUyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoAGgAiAA==',
    want: {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: { name: 'c' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          metadata: { name: 'c' },
          spec: {
            template: {
              metadata: {},
              spec: {
                containers: [{ name: 'c', image: 'busybox', resources: {} }],
                restartPolicy: 'OnFailure',
              },
            },
          },
        },
      },
      status: {},
    },
  },
  {
    command: 'kubectl create serviceaccount sa',
    body: 'azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFAoSCgJzYRIAGgAiACoAMgA4AEIAGgAiAA==',
    want: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'sa' } },
  },
  {
    command: 'kubectl create deployment web0 --image=nginx --replicas=0 --port=80',
    body:
      'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErwBCiEKBHdlYjASABoAIgAqADIAOABCAFoLCgNhcHASBHdlYjASiAEIABIN' +
      'CgsKA2FwcBIEd2ViMBptCh0KABIAGgAiACoAMgA4AEIAWgsKA2FwcBIEd2ViMBJMEi4KBW5naW54EgVuZ2lueCoAMgoKABAA' +
      'GFAiACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgA' +
      'OAAaACIA',
    want: {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web0', labels: { app: 'web0' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web0' } },
        template: {
          metadata: { labels: { app: 'web0' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }],
          },
        },
        strategy: {},
      },
      status: {},
    },
  },
  {
    command: 'kubectl create secret docker-registry reg --docker-username=u --docker-password=p --docker-server=r.io',
    body:
      'azhzAAoMCgJ2MRIGU2VjcmV0EowBChMKA3JlZxIAGgAiACoAMgA4AEIAElUKES5kb2NrZXJjb25maWdqc29uEkB7ImF1dGhz' +
      'Ijp7InIuaW8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19Gh5rdWJlcm5ldGVzLmlv' +
      'L2RvY2tlcmNvbmZpZ2pzb24aACIA',
    want: {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'reg' },
      data: {
        '.dockerconfigjson': 'eyJhdXRocyI6eyJyLmlvIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ==',
      },
      type: 'kubernetes.io/dockerconfigjson',
    },
  },
  {
    command: 'kubectl create service nodeport np --tcp=80:8080 --node-port=30080',
    body:
      'azhzAAoNCgJ2MRIHU2VydmljZRJnCh0KAm5wEgAaACIAKgAyADgAQgBaCQoDYXBwEgJucBJCCh0KBzgwLTgwODASA1RDUBhQ' +
      'IgcIABCQPxoAKIDrARIJCgNhcHASAm5wGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=',
    want: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'np', labels: { app: 'np' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
        selector: { app: 'np' },
        type: 'NodePort',
      },
      status: { loadBalancer: {} },
    },
  },
  {
    command: 'kubectl create service externalname en --external-name=example.com',
    body:
      'azhzAAoNCgJ2MRIHU2VydmljZRJXCh0KAmVuEgAaACIAKgAyADgAQgBaCQoDYXBwEgJlbhIyEgkKA2FwcBICZW4aACIMRXh0' +
      'ZXJuYWxOYW1lOgBCAFILZXhhbXBsZS5jb21aAGAAaAAaAgoAGgAiAA==',
    want: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'en', labels: { app: 'en' } },
      spec: { selector: { app: 'en' }, type: 'ExternalName', externalName: 'example.com' },
      status: { loadBalancer: {} },
    },
  },
  {
    command: "kubectl create job j2 --image=busybox -- sh -c 'echo hi'",
    body:
      'azhzAAoPCghiYXRjaC92MRIDSm9iEosBChIKAmoyEgAaACIAKgAyADgAQgASazJpChAKABIAGgAiACoAMgA4AEIAElUSMgoC' +
      'ajISB2J1c3lib3gaAnNoGgItYxoHZWNobyBoaSoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEA' +
      'igEAmgEAwgEAGgggACgAMAA6ABoAIgA=',
    want: {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: { name: 'j2' },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: 'j2', image: 'busybox', command: ['sh', '-c', 'echo hi'], resources: {} }],
            restartPolicy: 'Never',
          },
        },
      },
      status: {},
    },
  },
  {
    command: 'kubectl create secret generic multi --from-literal=a=b --from-literal=c= --type=Opaque',
    body: 'azhzAAoMCgJ2MRIGU2VjcmV0Ei4KFQoFbXVsdGkSABoAIgAqADIAOABCABIGCgFhEgFiEgUKAWMSABoGT3BhcXVlGgAiAA==',
    want: {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'multi' },
      data: { a: 'Yg==', c: '' },
      type: 'Opaque',
    },
  },
  {
    command: 'kubectl create deployment multi --image=nginx --image=busybox',
    body:
      'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Et0BCiMKBW11bHRpEgAaACIAKgAyADgAQgBaDAoDYXBwEgVtdWx0aRKnAQgB' +
      'Eg4KDAoDYXBwEgVtdWx0aRqKAQoeCgASABoAIgAqADIAOABCAFoMCgNhcHASBW11bHRpEmgSIgoFbmdpbngSBW5naW54KgBC' +
      'AGoAcgCAAQCIAQCQAQCiAQASJgoHYnVzeWJveBIHYnVzeWJveCoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABo' +
      'AIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA',
    want: {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'multi', labels: { app: 'multi' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'multi' } },
        template: {
          metadata: { labels: { app: 'multi' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx', resources: {} },
              { name: 'busybox', image: 'busybox', resources: {} },
            ],
          },
        },
        strategy: {},
      },
      status: {},
    },
  },
];

describe('decodeKubernetesProtobuf on bodies kubectl sends', () => {
  it.each(fixtures)('$command', ({ body, want }) => {
    const decoded = decodeKubernetesProtobuf(Buffer.from(body, 'base64'));
    expect(decoded.apiVersion).toBe(want.apiVersion);
    expect(decoded.kind).toBe(want.kind);
    expect(decoded.object).toStrictEqual(want);
    // Keys in the order Go writes the struct, so stored objects print as kube-apiserver's do.
    expect(JSON.stringify(decoded.object)).toBe(JSON.stringify(want));
  });
});

describe('parseBody', () => {
  const namespace = fixtures[0]!;
  it('decodes a protobuf body into the object', () => {
    expect(parseBody(Buffer.from(namespace.body, 'base64'), `${PROTOBUF}; charset=binary`)).toStrictEqual(namespace.want);
  });
  it('names protobuf among the media types it accepts', () => {
    expect(() => parseBody(Buffer.from('x'), 'text/plain')).toThrow(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  });
  it('answers 400 for a body that is not protobuf', () => {
    expect(() => parseBody(Buffer.from('{"kind":"Namespace"}'), PROTOBUF)).toThrow(
      expect.objectContaining({ code: 400, message: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]' }),
    );
  });
});

describe('protobuf writes through the API server', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const post = (url: string, fixture: Fixture) =>
    cluster.server.inject({
      method: 'POST',
      url: `${url}?fieldManager=kubectl-create&fieldValidation=Strict`,
      headers: { 'content-type': PROTOBUF, accept: `${PROTOBUF},application/json` },
      payload: Buffer.from(fixture.body, 'base64'),
    });
  const fixture = (command: string): Fixture => fixtures.find((f) => f.command.startsWith(command))!;

  it('creates a namespace and a deployment, answering JSON', async () => {
    const ns = await post('/api/v1/namespaces', fixture('kubectl create ns'));
    expect(ns.statusCode).toBe(201);
    expect(ns.headers['content-type']).toMatch(/^application\/json/);
    expect(ns.json()).toMatchObject({ kind: 'Namespace', metadata: { name: 'capns' } });

    const deploy = await post('/apis/apps/v1/namespaces/default/deployments', fixture('kubectl create deployment web '));
    expect(deploy.statusCode).toBe(201);
    const got = await cluster.server.inject({ method: 'GET', url: '/apis/apps/v1/namespaces/default/deployments/web' });
    expect(got.json()).toMatchObject({ spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } });
  });

  it('keeps a zero replica count that was sent', async () => {
    expect((await post('/apis/apps/v1/namespaces/default/deployments', fixture('kubectl create deployment web0'))).statusCode).toBe(201);
    const got = await cluster.server.inject({ method: 'GET', url: '/apis/apps/v1/namespaces/default/deployments/web0' });
    expect(got.json().spec.replicas).toBe(0);
  });

  it('checks the envelope kind against the URL as for JSON', async () => {
    const res = await post('/api/v1/namespaces/default/configmaps', fixture('kubectl create secret generic s '));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('the kind in the data (Secret) does not match the expected kind (ConfigMap)');
  });
});
