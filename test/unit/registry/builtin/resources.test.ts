import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { ALL_VERBS } from '../../../../src/apiserver/registry/strategy.js';
import { find, resources } from './pipeline.js';

describe('builtinResources', () => {
  const rts = resources();

  it.each([
    ['', 'namespaces', 'Namespace', ['ns'], undefined, false, 'io.k8s.api.core.v1.Namespace'],
    ['', 'pods', 'Pod', ['po'], ['all'], true, 'io.k8s.api.core.v1.Pod'],
    ['', 'configmaps', 'ConfigMap', ['cm'], undefined, true, 'io.k8s.api.core.v1.ConfigMap'],
    ['', 'secrets', 'Secret', undefined, undefined, true, 'io.k8s.api.core.v1.Secret'],
    ['', 'services', 'Service', ['svc'], ['all'], true, 'io.k8s.api.core.v1.Service'],
    ['', 'serviceaccounts', 'ServiceAccount', ['sa'], undefined, true, 'io.k8s.api.core.v1.ServiceAccount'],
    ['', 'endpoints', 'Endpoints', ['ep'], undefined, true, 'io.k8s.api.core.v1.Endpoints'],
    ['', 'events', 'Event', ['ev'], undefined, true, 'io.k8s.api.core.v1.Event'],
    ['', 'nodes', 'Node', ['no'], undefined, false, 'io.k8s.api.core.v1.Node'],
    ['events.k8s.io', 'events', 'Event', ['ev'], undefined, true, 'io.k8s.api.events.v1.Event'],
    ['coordination.k8s.io', 'leases', 'Lease', undefined, undefined, true, 'io.k8s.api.coordination.v1.Lease'],
    ['apps', 'deployments', 'Deployment', ['deploy'], ['all'], true, 'io.k8s.api.apps.v1.Deployment'],
    ['apps', 'replicasets', 'ReplicaSet', ['rs'], ['all'], true, 'io.k8s.api.apps.v1.ReplicaSet'],
    ['apps', 'statefulsets', 'StatefulSet', ['sts'], ['all'], true, 'io.k8s.api.apps.v1.StatefulSet'],
    ['apps', 'daemonsets', 'DaemonSet', ['ds'], ['all'], true, 'io.k8s.api.apps.v1.DaemonSet'],
    ['batch', 'jobs', 'Job', undefined, ['all'], true, 'io.k8s.api.batch.v1.Job'],
    ['batch', 'cronjobs', 'CronJob', ['cj'], ['all'], true, 'io.k8s.api.batch.v1.CronJob'],
  ])('%s/%s is a %s as discovery lists it', (group, resource, kind, shortNames, categories, namespaced, definition) => {
    const rt = find(rts, group, resource);
    expect(rt.kind).toBe(kind);
    expect(rt.listKind).toBe(`${kind}List`);
    expect(rt.version).toBe('v1');
    expect(rt.shortNames).toEqual(shortNames);
    expect(rt.categories).toEqual(categories);
    expect(rt.namespaced).toBe(namespaced);
    expect(rt.openAPIDefinition).toBe(definition);
    expect(rt.strategy.allowUnconditionalUpdate).toBe(true);
  });

  it('lists the verbs and subresources of a real cluster', () => {
    const noCollection = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    expect(find(rts, '', 'namespaces').verbs).toEqual(noCollection);
    for (const r of ['pods', 'nodes', 'events', 'configmaps', 'services', 'endpoints', 'secrets', 'serviceaccounts']) expect(find(rts, '', r).verbs).toEqual(ALL_VERBS);
    expect(find(rts, 'apps', 'deployments').subresources).toEqual({
      status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
    });
    expect(find(rts, 'apps', 'daemonsets').subresources).toEqual({ status: true });
    expect(find(rts, '', 'configmaps').subresources).toBeUndefined();
    expect(find(rts, '', 'namespaces').nameValidation).toBe('dns1123Label');
    expect(find(rts, '', 'events').nameValidation).toBe('path');
    expect(rts.filter((r) => r.strategy.allowCreateOnUpdate).map((r) => `${r.group}/${r.resource}`).sort()).toEqual([
      '/endpoints',
      '/events',
      '/services',
      'coordination.k8s.io/leases',
      'events.k8s.io/events',
    ]);
  });

  it('gives every cluster its own set', () => {
    const a = resources();
    const b = resources();
    expect(find(a, '', 'services')).not.toBe(find(b, '', 'services'));
    expect((find(a, '', 'services') as { allocator?: unknown }).allocator).not.toBe((find(b, '', 'services') as { allocator?: unknown }).allocator);
  });
});

describe('field selectors', () => {
  const rts = resources();
  const field = (group: string, resource: string, name: string, obj: KubeObject): string | undefined => {
    const get = find(rts, group, resource).fieldSelectors?.[name];
    if (!get) throw new Error(`${resource} has no field selector ${name}`);
    return get(obj);
  };

  const pod: KubeObject = {
    metadata: { name: 'p' },
    spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
    status: { phase: 'Running', podIP: '10.244.0.9', podIPs: [{ ip: '10.244.0.9' }], nominatedNodeName: 'n2' },
  };

  it.each<[string, string, string, KubeObject, string]>([
    ['', 'pods', 'spec.nodeName', pod, 'n1'],
    ['', 'pods', 'spec.restartPolicy', pod, 'Always'],
    ['', 'pods', 'spec.schedulerName', pod, 'default-scheduler'],
    ['', 'pods', 'spec.serviceAccountName', pod, 'default'],
    ['', 'pods', 'spec.hostNetwork', pod, 'false'],
    ['', 'pods', 'spec.hostNetwork', { metadata: {}, spec: { hostNetwork: true } }, 'true'],
    ['', 'pods', 'status.phase', pod, 'Running'],
    ['', 'pods', 'status.podIP', pod, '10.244.0.9'],
    ['', 'pods', 'status.nominatedNodeName', pod, 'n2'],
    ['', 'pods', 'spec.nodeName', { metadata: {} }, ''],
    ['', 'secrets', 'type', { metadata: {}, type: 'kubernetes.io/tls' }, 'kubernetes.io/tls'],
    ['', 'namespaces', 'status.phase', { metadata: { name: 'x' }, status: { phase: 'Terminating' } }, 'Terminating'],
    ['', 'namespaces', 'name', { metadata: { name: 'x' } }, 'x'],
    ['', 'nodes', 'spec.unschedulable', { metadata: {}, spec: { unschedulable: true } }, 'true'],
    ['', 'nodes', 'spec.unschedulable', { metadata: {} }, 'false'],
    ['', 'services', 'spec.type', { metadata: {}, spec: { type: 'NodePort' } }, 'NodePort'],
    ['batch', 'jobs', 'status.successful', { metadata: {}, status: { succeeded: 3 } }, '3'],
    ['batch', 'jobs', 'status.successful', { metadata: {} }, '0'],
    ['apps', 'replicasets', 'status.replicas', { metadata: {}, status: { replicas: 2 } }, '2'],
  ])('%s %s %s', (group, resource, name, obj, value) => {
    expect(field(group, resource, name, obj)).toBe(value);
  });

  const event: KubeObject = {
    metadata: { name: 'e' },
    involvedObject: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' },
    reason: 'Killing',
    reportingComponent: 'kubelet',
    type: 'Warning',
  };

  it.each([
    ['involvedObject.kind', 'Pod'],
    ['involvedObject.namespace', 'ns'],
    ['involvedObject.name', 'p'],
    ['involvedObject.uid', 'u'],
    ['involvedObject.apiVersion', 'v1'],
    ['involvedObject.resourceVersion', '7'],
    ['involvedObject.fieldPath', 'spec.containers{c}'],
    ['reason', 'Killing'],
    ['reportingComponent', 'kubelet'],
    ['source', 'kubelet'],
    ['type', 'Warning'],
  ])('core event %s', (name, value) => {
    expect(field('', 'events', name, event)).toBe(value);
  });

  it('reads events.k8s.io field labels from the stored (core/v1) form', () => {
    const ev: KubeObject = { metadata: { name: 'e' }, involvedObject: { kind: 'Node', name: 'n1' }, reportingComponent: 'kubelet', reason: 'Starting', type: 'Normal' };
    expect(field('events.k8s.io', 'events', 'regarding.kind', ev)).toBe('Node');
    expect(field('events.k8s.io', 'events', 'regarding.name', ev)).toBe('n1');
    expect(field('events.k8s.io', 'events', 'reportingController', ev)).toBe('kubelet');
  });
});
