import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { humanDuration } from '../../../../src/apiserver/registry/builtin/printing.js';
import { create, find, NOW, resources, template } from './pipeline.js';

const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [-5 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 20 * S, '3m20s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [5 * H + 10 * M, '5h10m'],
    [8 * H + 10 * M, '8h'],
    [47 * H, '47h'],
    [3 * D + 5 * H, '3d5h'],
    [7 * D, '7d'],
    [400 * D, '400d'],
    [2 * 365 * D, '2y'],
    [3 * 365 * D + 10 * D, '3y10d'],
    [9 * 365 * D, '9y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('printers', () => {
  const rts = resources();
  const columnsOf = (group: string, resource: string): string[] => find(rts, group, resource).printer!.columns.map((c) => c.name);
  const cells = (group: string, resource: string, obj: KubeObject): unknown[] => find(rts, group, resource).printer!.cells(obj, NOW);

  it.each([
    ['', 'namespaces', ['Name', 'Status', 'Age']],
    ['', 'pods', ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']],
    ['', 'configmaps', ['Name', 'Data', 'Age']],
    ['', 'secrets', ['Name', 'Type', 'Data', 'Age']],
    ['', 'services', ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']],
    ['', 'serviceaccounts', ['Name', 'Secrets', 'Age']],
    ['', 'endpoints', ['Name', 'Endpoints', 'Age']],
    ['', 'events', ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']],
    ['', 'nodes', ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']],
    ['coordination.k8s.io', 'leases', ['Name', 'Holder', 'Age']],
    ['apps', 'deployments', ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']],
    ['apps', 'replicasets', ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']],
    ['apps', 'statefulsets', ['Name', 'Ready', 'Age', 'Containers', 'Images']],
    ['apps', 'daemonsets', ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']],
    ['batch', 'jobs', ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']],
    ['batch', 'cronjobs', ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector']],
  ])('%s %s has the columns kubectl shows', (group, resource, names) => {
    expect(columnsOf(group, resource)).toEqual(names);
    const rt = find(rts, group, resource);
    expect(rt.printer!.columns.find((c) => c.name === 'Name')?.format).toBe('name');
  });

  it('prints a pending pod and a running pod with a restart', () => {
    const pending = create(find(rts, '', 'pods'), { metadata: { name: 'web-0' }, spec: { containers: [{ name: 'c', image: 'x' }] } }).object;
    expect(cells('', 'pods', pending)).toEqual(['web-0', '0/1', 'Pending', '0', '0s', '<none>', '<none>', '<none>', '<none>']);

    const running: KubeObject = {
      metadata: { name: 'web-1', creationTimestamp: ago(2 * D + 3 * H) },
      spec: { nodeName: 'node-1', containers: [{ name: 'a' }, { name: 'b' }], readinessGates: [{ conditionType: 'example.com/lb' }] },
      status: {
        phase: 'Running',
        podIP: '10.244.0.7',
        podIPs: [{ ip: '10.244.0.7' }],
        conditions: [{ type: 'example.com/lb', status: 'True' }],
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * M) } } },
          { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    };
    expect(cells('', 'pods', running)).toEqual(['web-1', '1/2', 'CrashLoopBackOff', '2 (5m ago)', '2d3h', '10.244.0.7', 'node-1', '<none>', '1/1']);
  });

  it('prints init progress and a terminating pod', () => {
    const initializing: KubeObject = {
      metadata: { name: 'p', creationTimestamp: ago(30 * S) },
      spec: { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'c' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] },
    };
    expect(cells('', 'pods', initializing).slice(0, 4)).toEqual(['p', '0/1', 'Init:1/2', '0']);
    const terminating: KubeObject = {
      metadata: { name: 'p', deletionTimestamp: ago(0), creationTimestamp: ago(M) },
      spec: { containers: [{ name: 'c' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] },
    };
    expect(cells('', 'pods', terminating).slice(0, 3)).toEqual(['p', '1/1', 'Terminating']);
  });

  it('prints a deployment', () => {
    const d = create(find(rts, 'apps', 'deployments'), {
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web', tier: 'fe' } },
        template: template({ app: 'web', tier: 'fe' }, [
          { name: 'web', image: 'nginx:1.25' },
          { name: 'log', image: 'busybox' },
        ]),
      },
    }).object;
    const withStatus = { ...d, metadata: { ...d.metadata, creationTimestamp: ago(10 * M + 5 * S) }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(cells('apps', 'deployments', withStatus)).toEqual(['web', '2/3', 3, 2, '10m', 'web,log', 'nginx:1.25,busybox', 'app=web,tier=fe']);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, unknown[]]>([
    ['a new job', {}, {}, ['Running', '0/1', '']],
    ['a running job', {}, { startTime: ago(90 * S), active: 1 }, ['Running', '0/1', '90s']],
    [
      'a complete job',
      {},
      { startTime: ago(10 * M), completionTime: ago(10 * M - 42 * S), succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
      ['Complete', '1/1', '42s'],
    ],
    ['a failed job', {}, { startTime: ago(M), conditions: [{ type: 'Failed', status: 'True' }] }, ['Failed', '0/1', '60s']],
    ['a suspended job', { suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }, ['Suspended', '0/1', '']],
    ['a work queue', { completions: null, parallelism: 3 }, { succeeded: 1 }, ['Running', '1/1 of 3', '']],
  ])('prints %s', (_name, spec, status, expected) => {
    const job = create(find(rts, 'batch', 'jobs'), { metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } }, { uid: 'u' }).object;
    const obj = { ...job, spec: { ...(job.spec as object), ...spec }, status };
    const row = cells('batch', 'jobs', obj);
    expect(row.slice(1, 4)).toEqual(expected);
    expect(row[0]).toBe('pi');
    expect(row.slice(4)).toEqual(['0s', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u']);
  });

  it('prints a service, a cronjob, a namespace, a node and events', () => {
    const svc = create(find(resources(), '', 'services'), {
      metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }] },
    });
    expect(svc.errors).toEqual([]);
    expect(cells('', 'services', svc.object)).toEqual(['web', 'NodePort', '10.96.1.1', '<none>', '80:30080/TCP,53:30053/UDP', '0s', 'app=web']);

    const lb: KubeObject = { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.1.9'], ports: [{ port: 443, protocol: 'TCP' }] }, status: {} };
    expect(cells('', 'services', lb).slice(2, 5)).toEqual(['10.96.1.9', '<pending>', '443/TCP']);

    const cj: KubeObject = {
      metadata: { name: 'backup', creationTimestamp: ago(3 * D) },
      spec: { schedule: '0 3 * * *', timeZone: 'Europe/Paris', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'restic' }] } } } } },
      status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago(9 * H) },
    };
    expect(cells('batch', 'cronjobs', cj)).toEqual(['backup', '0 3 * * *', 'Europe/Paris', 'False', 1, '9h', '3d', 'b', 'restic', '<none>']);

    expect(cells('', 'namespaces', { metadata: { name: 'default', creationTimestamp: ago(5 * S) }, status: { phase: 'Active' } })).toEqual(['default', 'Active', '5s']);

    const node: KubeObject = {
      metadata: { name: 'n1', creationTimestamp: ago(D), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '172.18.0.2' }], nodeInfo: { kubeletVersion: 'v1.33.0' } },
    };
    expect(cells('', 'nodes', node)).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane,edge', '24h', 'v1.33.0', '172.18.0.2', '<none>', '<unknown>', '<unknown>', '<unknown>']);

    const ev: KubeObject = {
      metadata: { name: 'web.17a', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: 'Successfully pulled image  ',
      type: 'Normal',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: ago(5 * M),
      lastTimestamp: ago(30 * S),
      count: 4,
    };
    expect(cells('', 'events', ev)).toEqual(['30s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{web}', 'kubelet, n1', 'Successfully pulled image', '5m', 4, 'web.17a']);

    const v1: KubeObject = {
      metadata: { name: 'e2', namespace: 'default' },
      regarding: { kind: 'Node', name: 'n1' },
      reason: 'Starting',
      note: 'Starting kubelet.',
      type: 'Normal',
      eventTime: ago(2 * M),
      reportingController: 'kubelet',
      reportingInstance: 'n1',
    };
    expect(cells('events.k8s.io', 'events', v1)).toEqual(['2m', 'Normal', 'Starting', 'node/n1', '', 'kubelet, n1', 'Starting kubelet.', '2m', 1, 'e2']);
  });

  it('prints configmaps, secrets, leases, replicasets, statefulsets, daemonsets and endpoints', () => {
    const t = ago(H);
    expect(cells('', 'configmaps', { metadata: { name: 'c', creationTimestamp: t }, data: { a: '1' }, binaryData: { b: 'AA==' } })).toEqual(['c', 2, '60m']);
    expect(cells('', 'secrets', { metadata: { name: 's', creationTimestamp: t }, type: 'Opaque', data: { a: 'YQ==' } })).toEqual(['s', 'Opaque', 1, '60m']);
    expect(cells('coordination.k8s.io', 'leases', { metadata: { name: 'l', creationTimestamp: t }, spec: { holderIdentity: 'kcm-1' } })).toEqual(['l', 'kcm-1', '60m']);
    const podTemplate = template({ app: 'a' }, [{ name: 'a', image: 'img' }]);
    expect(
      cells('apps', 'replicasets', { metadata: { name: 'r', creationTimestamp: t }, spec: { replicas: 2, selector: { matchLabels: { app: 'a' } }, template: podTemplate }, status: { replicas: 2, readyReplicas: 1 } }),
    ).toEqual(['r', 2, 2, 1, '60m', 'a', 'img', 'app=a']);
    expect(cells('apps', 'statefulsets', { metadata: { name: 's', creationTimestamp: t }, spec: { replicas: 3, template: podTemplate }, status: { readyReplicas: 3 } })).toEqual([
      's',
      '3/3',
      '60m',
      'a',
      'img',
    ]);
    const dsTemplate = { ...podTemplate, spec: { ...(podTemplate.spec as object), nodeSelector: { 'kubernetes.io/os': 'linux' } } };
    expect(
      cells('apps', 'daemonsets', {
        metadata: { name: 'd', creationTimestamp: t },
        spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'a'] }] }, template: dsTemplate },
        status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
      }),
    ).toEqual(['d', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '60m', 'a', 'img', 'app in (a,b)']);
    const ep: KubeObject = {
      metadata: { name: 'web', creationTimestamp: t },
      subsets: [{ addresses: [{ ip: '10.244.0.1' }, { ip: '10.244.0.2' }, { ip: '10.244.0.3' }, { ip: '10.244.0.4' }], ports: [{ port: 8080 }] }],
    };
    expect(cells('', 'endpoints', ep)).toEqual(['web', '10.244.0.1:8080,10.244.0.2:8080,10.244.0.3:8080 + 1 more...', '60m']);
    expect(cells('', 'endpoints', { metadata: { name: 'none', creationTimestamp: t } })).toEqual(['none', '<none>', '60m']);
  });
});
