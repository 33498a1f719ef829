import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { create, find, resources, template, update, updateStatus } from './pipeline.js';

const deployment = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web' }, spec });

describe('validation messages', () => {
  const rts = resources();
  const deployments = find(rts, 'apps', 'deployments');

  it.each<[string, KubeObject, string[]]>([
    [
      'selector does not match the template',
      deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'x' }) }),
      ['spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`'],
    ],
    [
      'no selector',
      deployment({ template: template({ app: 'x' }) }),
      ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`'],
    ],
    [
      'empty selector',
      deployment({ selector: {}, template: template({ app: 'x' }) }),
      ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    ],
    [
      'missing image',
      deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, [{ name: 'web' }]) }),
      ['spec.template.spec.containers[0].image: Required value'],
    ],
    [
      'duplicate container names',
      deployment({
        selector: { matchLabels: { app: 'web' } },
        template: template({ app: 'web' }, [
          { name: 'web', image: 'nginx' },
          { name: 'web', image: 'busybox' },
        ]),
      }),
      ['spec.template.spec.containers[1].name: Duplicate value: "web"'],
    ],
    [
      'no containers and negative replicas',
      deployment({ replicas: -1, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, []) }),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0', 'spec.template.spec.containers: Required value'],
    ],
    [
      'a container name that is not a DNS label',
      deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, [{ name: 'Web_1', image: 'nginx' }]) }),
      [
        "spec.template.spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    [
      'restartPolicy other than Always',
      deployment({ selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } }),
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'port out of range and bad protocol',
      deployment({
        selector: { matchLabels: { app: 'web' } },
        template: template({ app: 'web' }, [{ name: 'a', image: 'b', ports: [{ containerPort: 70000, protocol: 'HTTP' }] }]),
      }),
      [
        'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.template.spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      'a mount of a volume that does not exist',
      deployment({
        selector: { matchLabels: { app: 'web' } },
        template: template({ app: 'web' }, [{ name: 'a', image: 'b', volumeMounts: [{ name: 'data', mountPath: '/data' }] }]),
      }),
      ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      'both rolling-update bounds zero',
      deployment({
        selector: { matchLabels: { app: 'web' } },
        strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
        template: template({ app: 'web' }),
      }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
  ])('Deployment: %s', (_name, body, messages) => {
    expect(create(deployments, body).messages).toEqual(messages);
  });

  it('makes a Deployment selector immutable', () => {
    const created = create(deployments, deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', v: '1' }) }));
    const changed = update(deployments, created.object, { ...created.object, spec: { ...(created.object.spec as object), selector: { matchLabels: { v: '1' } } } });
    expect(changed.messages).toEqual(['spec.selector: Invalid value: {"matchLabels":{"v":"1"}}: field is immutable']);
  });

  it.each<[string, KubeObject, string[]]>([
    ['Always (the pod default)', { metadata: { name: 'j' }, spec: { template: template({}) } }, ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']],
    [
      'negative backoffLimit',
      { metadata: { name: 'j' }, spec: { backoffLimit: -1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } } },
      ['spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'manual selector that does not match',
      {
        metadata: { name: 'j' },
        spec: {
          manualSelector: true,
          selector: { matchLabels: { app: 'j' } },
          template: { metadata: { labels: { app: 'k' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } },
        },
      },
      ['spec.template.metadata.labels: Invalid value: {"app":"k"}: `selector` does not match template `labels`'],
    ],
    [
      'a conflicting job-name label',
      {
        metadata: { name: 'j' },
        spec: { template: { metadata: { labels: { 'job-name': 'other' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } },
      },
      [`spec.template.metadata.labels[job-name]: Invalid value: {"job-name":"other","batch.kubernetes.io/job-name":"j","controller-uid":"u1","batch.kubernetes.io/controller-uid":"u1"}: must be 'j'`],
    ],
  ])('Job: %s', (_name, body, messages) => {
    expect(create(find(rts, 'batch', 'jobs'), body, { uid: 'u1' }).messages).toEqual(messages);
  });

  it.each<[string, string]>([
    ['bad', 'spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]'],
    ['* * * *', 'spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'spec.schedule: Invalid value: "60 * * * *": end of range (60) above maximum (59): 60'],
    ['*/0 * * * *', 'spec.schedule: Invalid value: "*/0 * * * *": step of range should be a positive number: */0'],
    ['x * * * *', 'spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly'],
  ])('CronJob schedule %j', (schedule, message) => {
    const body: KubeObject = {
      metadata: { name: 'c' },
      spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } } } },
    };
    expect(create(find(rts, 'batch', 'cronjobs'), body).messages).toEqual([message]);
  });

  it.each(['@hourly', '@daily', '@every 1h30m', '0 0 * * MON-FRI', '15,45 */2 1-15 jan,jul ?', '5/15 0 * * 0'])('accepts the schedule %j', (schedule) => {
    const body: KubeObject = {
      metadata: { name: 'c' },
      spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } } } },
    };
    expect(create(find(rts, 'batch', 'cronjobs'), body).messages).toEqual([]);
  });

  it('requires a schedule and rejects a CronJob name longer than 52 characters', () => {
    const body: KubeObject = { metadata: { name: 'a'.repeat(53) }, spec: { jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } } } } };
    expect(create(find(rts, 'batch', 'cronjobs'), body).messages).toEqual([
      `metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
      'spec.schedule: Required value',
    ]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['bad base64', { data: { token: 'abc' } }, ['data[token]: Invalid value: illegal base64 data at input byte 0']],
    ['a bad character', { data: { token: 'ab$d' } }, ['data[token]: Invalid value: illegal base64 data at input byte 2']],
    [
      'a bad key',
      { data: { 'a b': 'YQ==' } },
      [
        `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      ],
    ],
    ['a TLS secret without its keys', { type: 'kubernetes.io/tls', data: {} }, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
  ])('Secret: %s', (_name, fields, messages) => {
    expect(create(find(rts, '', 'secrets'), { metadata: { name: 's' }, ...fields }).messages).toEqual(messages);
  });

  it('keeps a Secret type and an immutable Secret unchanged', () => {
    const secrets = find(rts, '', 'secrets');
    const created = create(secrets, { metadata: { name: 's' }, immutable: true, data: { a: 'YQ==' } });
    expect(update(secrets, created.object, { ...created.object, type: 'kubernetes.io/basic-auth', data: { a: 'Yg==' } }).messages).toEqual([
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
      'data: Forbidden: field is immutable when `immutable` is set',
      'data[username]: Required value',
      'data[password]: Required value',
    ]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['no ports', { selector: { app: 'a' } }, ['spec.ports: Required value']],
    [
      'a port out of range and unnamed ports',
      { ports: [{ port: 0 }, { port: 81 }] },
      [
        'spec.ports[0].name: Required value',
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        // targetPort defaults to the port, so it is out of range too (as on a real server).
        'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[1].name: Required value',
      ],
    ],
    ['an unknown type', { type: 'Magic', ports: [{ port: 80 }] }, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    [
      'a cluster IP outside the service CIDR',
      { clusterIP: '10.0.0.10', ports: [{ port: 80 }] },
      ['spec.clusterIPs: Invalid value: ["10.0.0.10"]: failed to allocate IP 10.0.0.10: the provided IP (10.0.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
    ],
    ['a node port on a ClusterIP Service', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    [
      'a node port out of range',
      { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] },
      ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ],
  ])('Service: %s', (_name, spec, messages) => {
    expect(create(find(rts, '', 'services'), { metadata: { name: 'svc' }, spec }).messages).toEqual(messages);
  });

  it('refuses a cluster IP another Service holds, and a changed cluster IP', () => {
    const services = find(resources(), '', 'services');
    const first = create(services, { metadata: { name: 'a' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53 }] } });
    expect(first.errors).toEqual([]);
    expect(create(services, { metadata: { name: 'b' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53 }] } }).messages).toEqual([
      'spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    ]);
    const changed = update(services, first.object, { metadata: { name: 'a' }, spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], ports: [{ port: 53 }] } });
    expect(changed.messages).toEqual(['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
  });

  it('rejects a Service name that is not a DNS-1035 label', () => {
    expect(create(find(rts, '', 'services'), { metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } }).messages).toEqual([
      "metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('lets a Pod change its image but little else', () => {
    const pods = find(rts, '', 'pods');
    const created = create(pods, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.24' }] } });
    const spec = created.object.spec as Record<string, any>;
    const withImage = { ...created.object, spec: { ...spec, containers: [{ ...spec.containers[0], image: 'nginx:1.25' }] } };
    expect(update(pods, created.object, withImage).messages).toEqual([]);
    const withPort = { ...created.object, spec: { ...spec, containers: [{ ...spec.containers[0], ports: [{ containerPort: 80 }] }] } };
    const messages = update(pods, created.object, withPort).messages;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
  });

  it('keeps the spec and owner references through pods/status', () => {
    const pods = find(rts, '', 'pods');
    const old = create(pods, { metadata: { name: 'p', ownerReferences: [] }, spec: { containers: [{ name: 'c', image: 'x' }] } }).object;
    const body: KubeObject = { metadata: { name: 'p', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: '1' }] }, spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }] } };
    const { object, errors } = updateStatus(pods, old, body);
    expect(errors).toEqual([]);
    expect(object.spec).toEqual(old.spec);
    expect(object.metadata.ownerReferences).toEqual([]);
    expect(object.status).toEqual({ phase: 'Running', podIPs: [{ ip: '10.244.0.5' }] });
  });

  it('keeps the status through the main resource of a Deployment', () => {
    const created = create(deployments, deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) }));
    const old = { ...created.object, status: { replicas: 1 } };
    expect(update(deployments, old, { ...old, status: { replicas: 5 } }).object.status).toEqual({ replicas: 1 });
  });

  it('checks core Event namespaces and strict events.k8s.io Events', () => {
    expect(
      create(find(rts, '', 'events'), { metadata: { name: 'e.1', namespace: 'a' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'b' } }, { namespace: 'a' }).messages,
    ).toEqual(['involvedObject.namespace: Invalid value: "b": does not match event.namespace']);
    const v1 = find(rts, 'events.k8s.io', 'events');
    expect(create(v1, { metadata: { name: 'e' }, type: 'Info', regarding: { kind: 'Pod', name: 'p', namespace: 'default' } }).messages).toEqual([
      'eventTime: Required value',
      'type: Invalid value: "": has invalid value: Info',
    ]);
    const newStyle = { metadata: { name: 'e' }, type: 'Normal', eventTime: '2024-05-01T12:00:00.000000Z', regarding: { kind: 'Pod', name: 'p', namespace: 'default' } };
    expect(create(v1, { ...newStyle, deprecatedCount: 3 }).messages).toEqual([
      'reportingController: Required value',
      'reportingController: Invalid value: "": name part must be non-empty',
      "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
      'count: Invalid value: "": needs to be unset',
    ]);
    expect(create(v1, { ...newStyle, reportingController: 'kubesim.io/test', reportingInstance: 'i', action: 'Run', reason: 'Started' }).messages).toEqual([]);
  });
});
