// Kubernetes protobuf decoding of the kinds no `kubectl create` sends (typed clients of
// controllers and kubelets do), encoded here by hand with field numbers from k8s.io/api's
// generated.proto; the expected JSON is what Go's encoding/json writes for the decoded struct.
import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../../src/apiserver/errors.js';
import { decodeKubernetesProtobuf } from '../../../src/apiserver/endpoints/protobuf/decode.js';
import { messageForKind, messageTable, parseMessage } from '../../../src/apiserver/endpoints/protobuf/messages.js';

// A tiny protobuf writer: each helper returns one encoded field.
function varint(v: bigint): Buffer {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x ? b | 0x80 : b);
  } while (x);
  return Buffer.from(out);
}
const key = (n: number, wireType: number): Buffer => varint(BigInt(n * 8 + wireType));
const int = (n: number, v: number | bigint): Buffer => Buffer.concat([key(n, 0), varint(BigInt(v))]);
const bytes = (n: number, b: Buffer): Buffer => Buffer.concat([key(n, 2), varint(BigInt(b.length)), b]);
const str = (n: number, s: string): Buffer => bytes(n, Buffer.from(s));
const msg = (n: number, ...fields: Buffer[]): Buffer => bytes(n, Buffer.concat(fields));
/** A map entry {key = 1, value = 2}; `value` is the encoded field 2. */
const entry = (n: number, k: string, value: Buffer): Buffer => msg(n, str(1, k), value);
const time = (n: number, seconds: number, nanos = 0): Buffer => msg(n, int(1, seconds), int(2, nanos));
const MAGIC = Buffer.from('k8s\0', 'latin1');
/** The runtime.Unknown envelope around a typed message's fields. */
const object = (apiVersion: string, kind: string, ...fields: Buffer[]): Buffer =>
  Buffer.concat([MAGIC, msg(1, str(1, apiVersion), str(2, kind)), msg(2, ...fields), str(3, ''), str(4, '')]);
const decode = (body: Buffer): Record<string, unknown> => decodeKubernetesProtobuf(body).object;

const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z

const pod = object(
  'v1',
  'Pod',
  msg(1, str(1, 'web-1'), str(2, 'web-'), str(5, 'uid-1'), str(6, '42'), int(7, 2), time(8, T0), time(9, T0 + 100), int(10, 0),
    msg(13, str(1, 'ReplicaSet'), str(3, 'web'), str(4, 'rs-uid'), str(5, 'apps/v1'), int(6, 1), int(7, 0)),
    str(14, 'example.com/cleanup'),
    msg(17, str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), time(4, T0), str(6, 'FieldsV1'), msg(7, str(1, '{"f:metadata":{"f:labels":{}}}')))),
  msg(1, entry(11, 'app', str(2, 'web'))), // a second occurrence of a message merges into the first
  msg(2,
    msg(2, str(1, 'web'), str(2, 'nginx')),
    int(25, -5), // a negative int32 is a 10-byte varint
    msg(14, bytes(4, Buffer.concat([varint(1n), varint(2n), varint(3n)]))), // packed repeated int64
    int(999, 7), Buffer.concat([key(998, 5), Buffer.alloc(4)]), Buffer.concat([key(997, 1), Buffer.alloc(8)]), str(996, 'x')),
  msg(3, str(1, 'Running'), time(7, T0),
    msg(8, str(1, 'web'), msg(2, msg(2, time(1, T0))), int(4, 1), str(6, 'nginx'), str(7, 'docker://sha'))),
);

describe('decodeKubernetesProtobuf, kind by kind', () => {
  it('Pod: metadata, pointers to zero, times, FieldsV1, status, unknown fields skipped', () => {
    expect(decode(pod)).toStrictEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: {
        name: 'web-1', generateName: 'web-', uid: 'uid-1', resourceVersion: '42', generation: 2,
        creationTimestamp: '2023-11-14T22:13:20Z', deletionTimestamp: '2023-11-14T22:15:00Z', deletionGracePeriodSeconds: 0,
        labels: { app: 'web' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: false }],
        finalizers: ['example.com/cleanup'],
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }],
      },
      spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }], securityContext: { supplementalGroups: [1, 2, 3] }, priority: -5 },
      status: {
        phase: 'Running',
        startTime: '2023-11-14T22:13:20Z',
        containerStatuses: [{ name: 'web', state: { running: { startedAt: '2023-11-14T22:13:20Z' } }, lastState: {}, ready: true, restartCount: 0, image: 'nginx', imageID: 'docker://sha' }],
      },
    });
  });

  it('Lease: MicroTime, a zero time sent as an empty message, a pointer to 0', () => {
    const body = object('coordination.k8s.io/v1', 'Lease', msg(1, str(1, 'node-1'), str(3, 'kube-node-lease')),
      msg(2, str(1, 'node-1'), int(2, 0), time(3, T0, 123_456_789), msg(4), int(5, 3)));
    expect(decode(body)).toStrictEqual({
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: 'node-1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 0, acquireTime: '2023-11-14T22:13:20.123456Z', leaseTransitions: 3 },
    });
  });

  it('core/v1 Event: strings without omitempty are written empty', () => {
    const body = object('v1', 'Event', msg(1, str(1, 'web.17'), str(3, 'default')),
      msg(2, str(1, 'Pod'), str(2, 'default'), str(3, 'web'), str(5, 'v1')), str(3, 'Started'), str(4, 'Started container'),
      msg(5, str(1, 'kubelet'), str(2, 'node-1')), time(6, T0), time(7, T0 + 60), int(8, 2), str(9, 'Normal'), msg(10));
    expect(decode(body)).toStrictEqual({
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'web.17', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', apiVersion: 'v1' },
      reason: 'Started',
      message: 'Started container',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2023-11-14T22:13:20Z',
      lastTimestamp: '2023-11-14T22:14:20Z',
      count: 2,
      type: 'Normal',
      reportingComponent: '',
      reportingInstance: '',
    });
  });

  it('events.k8s.io/v1 Event: its own message, not core/v1 Event', () => {
    const body = object('events.k8s.io/v1', 'Event', msg(1, str(1, 'web.18'), str(3, 'default')), time(2, T0, 5000),
      msg(3, int(1, 0), time(2, T0 + 1, 999_999_999)), str(4, 'kubelet'), str(5, 'node-1'), str(6, 'Pull'), str(7, 'Pulled'),
      msg(8, str(1, 'Pod'), str(3, 'web')), str(10, 'pulled'), str(11, 'Normal'));
    expect(decode(body)).toStrictEqual({
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: { name: 'web.18', namespace: 'default' },
      eventTime: '2023-11-14T22:13:20.000005Z',
      series: { count: 0, lastObservedTime: '2023-11-14T22:13:21.999999Z' },
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
      action: 'Pull',
      reason: 'Pulled',
      regarding: { kind: 'Pod', name: 'web' },
      note: 'pulled',
      type: 'Normal',
      deprecatedSource: {},
    });
  });

  it('Node: quantities, taints, and the status structs Go always writes', () => {
    const body = object('v1', 'Node', msg(1, str(1, 'node-1'), entry(11, 'kubernetes.io/os', str(2, 'linux'))),
      msg(2, str(1, '10.244.0.0/24'), int(4, 1), msg(5, str(1, 'dedicated'), str(3, 'NoSchedule'), time(4, T0))),
      msg(3, entry(1, 'cpu', msg(2, str(1, '4'))), entry(1, 'memory', msg(2, str(1, '8Gi'))), entry(1, 'pods', msg(2)),
        msg(4, str(1, 'Ready'), str(2, 'True'), time(3, T0), str(5, 'KubeletReady')), msg(5, str(1, 'InternalIP'), str(2, '10.0.0.5')),
        msg(7, str(7, 'v1.32.4'), str(9, 'linux'), str(10, 'amd64'))));
    expect(decode(body)).toStrictEqual({
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/os': 'linux' } },
      spec: { podCIDR: '10.244.0.0/24', unschedulable: true, taints: [{ key: 'dedicated', effect: 'NoSchedule', timeAdded: '2023-11-14T22:13:20Z' }] },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '0' },
        conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2023-11-14T22:13:20Z', reason: 'KubeletReady' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
        nodeInfo: {
          machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '',
          kubeletVersion: 'v1.32.4', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
        },
      },
    });
  });

  it('StatefulSet: volumeClaimTemplates, IntOrString as a string, zero counts without omitempty', () => {
    const body = object('apps/v1', 'StatefulSet', msg(1, str(1, 'db')),
      msg(2, int(1, 3), msg(2, entry(1, 'app', str(2, 'db'))), msg(3, msg(1, entry(11, 'app', str(2, 'db')))),
        msg(4, msg(1, str(1, 'data')), msg(2, str(1, 'ReadWriteOnce'), msg(2, entry(2, 'storage', msg(2, str(1, '1Gi')))))),
        str(6, 'Parallel'), msg(7, str(1, 'RollingUpdate'), msg(2, int(1, 0), msg(2, int(1, 1), str(3, '50%'))))));
    expect(decode(body)).toStrictEqual({
      kind: 'StatefulSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'db' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: {} },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: {} }],
        serviceName: '',
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } },
      },
      status: { replicas: 0, availableReplicas: 0 },
    });
  });

  it('DaemonSet, Scale and DeleteOptions (sent under the typed client\'s own group version)', () => {
    expect(decode(object('apps/v1', 'DaemonSet', msg(1, str(1, 'agent'))))).toStrictEqual({
      kind: 'DaemonSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'agent' },
      spec: { template: { metadata: {}, spec: {} }, updateStrategy: {} },
      status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
    });
    expect(decode(object('autoscaling/v1', 'Scale', msg(1, str(1, 'web'), str(3, 'default')), msg(2, int(1, 5))))).toStrictEqual({
      kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 5 }, status: { replicas: 0 },
    });
    expect(decode(object('apps/v1', 'DeleteOptions', int(1, 0), msg(2, str(1, 'uid-1')), str(4, 'Foreground'), str(5, 'All')))).toStrictEqual({
      kind: 'DeleteOptions', apiVersion: 'apps/v1', gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' }, propagationPolicy: 'Foreground', dryRun: ['All'],
    });
  });
});

describe('decodeKubernetesProtobuf on bad input: 400 in kube-apiserver\'s words', () => {
  const namespace = (...fields: Buffer[]): Buffer => object('v1', 'Namespace', ...fields);
  const prefix = 'Namespace in version "v1" cannot be handled as a Namespace: ';
  it.each([
    ['empty', Buffer.alloc(0), 'empty data'],
    ['only the prefix', MAGIC, 'empty body'],
    ['JSON', Buffer.from('{"kind":"Namespace"}'), 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]'],
    ['a broken envelope', Buffer.concat([MAGIC, Buffer.from([0x0a, 0x09, 0x0a])]), 'the object provided is unrecognized: unexpected EOF'],
    ['no kind', Buffer.concat([MAGIC, msg(1, str(1, 'v1')), msg(2)]), 'Object \'Kind\' is missing in \'runtime.TypeMeta{APIVersion:"v1", Kind:""}\''],
    ['an unknown kind', object('v1', 'Widget'), 'no kind "Widget" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"'],
    ['a kind in the wrong version', object('apps/v1', 'Namespace'), 'no kind "Namespace" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"'],
    ['a truncated message', namespace(Buffer.from([0x0a, 0x05, 0x0a])), `${prefix}unexpected EOF`],
    ['a wrong wire type', namespace(int(1, 5)), `${prefix}proto: wrong wireType = 0 for field Metadata`],
    ['field number 0', namespace(Buffer.from([0x00])), `${prefix}proto: Namespace: illegal tag 0 (wire type 0)`],
    ['a group', namespace(key(99, 3)), `${prefix}proto: illegal wireType 3`],
    ['an 11-byte varint', namespace(key(50, 0), Buffer.alloc(10, 0xff), Buffer.from([1])), `${prefix}proto: integer overflow`],
    ['a year past 9999', namespace(msg(1, time(8, 1e12))), `${prefix}Time.MarshalJSON: year outside of range [0,9999]`],
    ['a bad quantity', object('v1', 'Node', msg(3, entry(1, 'cpu', msg(2, str(1, 'lots'))))),
      'Node in version "v1" cannot be handled as a Node: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\''],
  ])('%s', (_, body, message) => {
    expect(() => decodeKubernetesProtobuf(body)).toThrow(expect.objectContaining({ code: 400, reason: 'BadRequest', message }));
  });

  it('never throws anything but a 400, whatever the bytes', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const bodies = [];
    for (let cut = 0; cut < pod.length; cut++) bodies.push(pod.subarray(0, cut));
    for (let i = 0; i < 2000; i++) {
      const mutated = Buffer.from(pod);
      for (let j = 1 + random(3); j > 0; j--) mutated[MAGIC.length + random(pod.length - MAGIC.length)] = random(256);
      bodies.push(mutated);
    }
    for (const body of bodies) {
      try {
        decodeKubernetesProtobuf(body);
      } catch (e) {
        if (!isStatusError(e) || e.code !== 400) throw e;
      }
    }
  });
});

describe('the message tables', () => {
  it('have a message for every kind kubesim serves', () => {
    const kinds = [
      ['v1', 'Namespace'], ['v1', 'Pod'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'ServiceAccount'],
      ['v1', 'Endpoints'], ['v1', 'Event'], ['v1', 'Node'], ['events.k8s.io/v1', 'Event'], ['coordination.k8s.io/v1', 'Lease'],
      ['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'],
      ['batch/v1', 'Job'], ['batch/v1', 'CronJob'], ['autoscaling/v1', 'Scale'], ['batch/v1', 'DeleteOptions'],
    ];
    for (const [apiVersion, kind] of kinds) expect(messageForKind(apiVersion!, kind!), `${apiVersion} ${kind}`).toBeDefined();
    expect(messageForKind('v1', 'Lease')).toBeUndefined();
    expect(messageTable.get('Container')!.byNumber.get(1)).toStrictEqual({ number: 1, name: 'name', type: 'string', keepZero: true });
    expect(messageTable.get('DeploymentSpec')!.byNumber.get(1)).toStrictEqual({ number: 1, name: 'replicas', type: 'int32', pointer: true });
    expect(messageTable.get('Volume')!.byNumber.get(2)).toStrictEqual({ number: 2, name: '', type: 'message:VolumeSource', inline: true });
  });

  it('reject a malformed entry or a field number used twice', () => {
    expect(() => parseMessage('X', '1 name')).toThrow('protobuf table X: cannot parse field "1 name"');
    expect(() => parseMessage('X', '1 a string, 1 b string')).toThrow('a field number appears twice');
    expect(parseMessage('X', '3 labels map[string]string, 4 items []Thing, 5 ... Other').fields).toStrictEqual([
      { number: 3, name: 'labels', type: 'map<string,string>' },
      { number: 4, name: 'items', type: 'message:Thing', repeated: true },
      { number: 5, name: '', type: 'message:Other', inline: true },
    ]);
  });
});
