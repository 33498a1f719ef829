import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { defaultImagePullPolicy } from '../../../../src/apiserver/registry/builtin/core/pod-defaults.js';
import type { ServiceResourceType } from '../../../../src/apiserver/registry/builtin/core/services.js';
import { create, find, resources, template, update } from './pipeline.js';

describe('defaults', () => {
  it('fills a Deployment as SetDefaults_Deployment and the pod spec defaults do', () => {
    const rt = find(resources(), 'apps', 'deployments');
    const { object, errors } = create(rt, {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }]) },
    });
    expect(errors).toEqual([]);
    expect(object.spec).toEqual({
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              imagePullPolicy: 'Always',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              resources: {},
            },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          terminationGracePeriodSeconds: 30,
          schedulerName: 'default-scheduler',
          securityContext: {},
        },
      },
    });
    expect(object.status).toEqual({});
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry.local:5000/team/app', 'Always'],
    ['registry.local:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'Always'],
  ])('image %s pulls %s by default', (image, policy) => {
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });

  it('creates a Pod Pending with its QoS class, service links and requests from limits', () => {
    const rt = find(resources(), '', 'pods');
    const { object, errors } = create(rt, {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] },
      status: { phase: 'Running' },
    });
    expect(errors).toEqual([]);
    const spec = object.spec as Record<string, unknown>;
    expect(spec.enableServiceLinks).toBe(true);
    expect((spec.containers as Record<string, unknown>[])[0]!.resources).toEqual({
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '500m', memory: '128Mi' },
    });
    expect(object.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it.each([
    [{}, 'BestEffort'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
    [{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } }, 'Guaranteed'],
    [{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } }, 'Burstable'],
  ])('resources %j give QoS %s', (resources_, qos) => {
    const rt = find(resources(), '', 'pods');
    const { object } = create(rt, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', resources: resources_ }] } });
    expect((object.status as Record<string, unknown>).qosClass).toBe(qos);
  });

  it('marks a gated Pod as SchedulingGated', () => {
    const rt = find(resources(), '', 'pods');
    const { object } = create(rt, { metadata: { name: 'p' }, spec: { schedulingGates: [{ name: 'wait' }], containers: [{ name: 'c', image: 'x' }] } });
    expect((object.status as Record<string, unknown>).conditions).toEqual([
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
  });

  it('generates a Job selector and template labels from the uid, and labels the Job', () => {
    const rt = find(resources(), 'batch', 'jobs');
    const { object, errors } = create(
      rt,
      { metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } } },
      { uid: '1c3f5e' },
    );
    expect(errors).toEqual([]);
    const generated = {
      'batch.kubernetes.io/controller-uid': '1c3f5e',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': '1c3f5e',
      'job-name': 'pi',
    };
    const spec = object.spec as Record<string, any>;
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': '1c3f5e' } });
    expect(spec.template.metadata.labels).toEqual(generated);
    expect(object.metadata.labels).toEqual(generated);
    expect(spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    expect(spec.manualSelector).toBeUndefined();
    expect(object.status).toEqual({});
  });

  it('keeps a Job label set by the client and the selector of a manual-selector Job', () => {
    const rt = find(resources(), 'batch', 'jobs');
    const { object, errors } = create(rt, {
      metadata: { name: 'j', labels: { team: 'a' } },
      spec: {
        manualSelector: true,
        selector: { matchLabels: { app: 'j' } },
        template: { metadata: { labels: { app: 'j' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'x' }] } },
      },
    });
    expect(errors).toEqual([]);
    expect(object.metadata.labels).toEqual({ team: 'a' });
    expect((object.spec as Record<string, any>).template.metadata.labels).toEqual({ app: 'j' });
    expect((object.spec as Record<string, any>).parallelism).toBe(1);
  });

  it('only defaults parallelism when completions is given', () => {
    const rt = find(resources(), 'batch', 'jobs');
    const { object } = create(rt, { metadata: { name: 'j' }, spec: { completions: 5, template: template({}) } });
    expect(object.spec).toMatchObject({ completions: 5, parallelism: 1 });
  });

  it('allocates Service cluster IPs per cluster, keeps given ones, and leaves headless Services alone', () => {
    const rts = resources();
    const rt = find(rts, '', 'services') as ServiceResourceType;
    const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });

    const a = create(rt, svc('a', {}));
    expect(a.errors).toEqual([]);
    expect(a.object.spec).toEqual({
      selector: { app: 'a' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      clusterIP: '10.96.1.1',
      clusterIPs: ['10.96.1.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(a.object.status).toEqual({ loadBalancer: {} });
    expect((create(rt, svc('b', {})).object.spec as Record<string, unknown>).clusterIP).toBe('10.96.1.2');

    const fixed = create(rt, svc('dns', { clusterIP: '10.96.0.10' }));
    expect(fixed.errors).toEqual([]);
    expect(fixed.object.spec).toMatchObject({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });

    const headless = create(rt, svc('db', { clusterIP: 'None' }));
    expect(headless.errors).toEqual([]);
    expect(headless.object.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'] });

    // Another cluster has its own allocator.
    const other = find(resources(), '', 'services');
    expect((create(other, svc('a', {})).object.spec as Record<string, unknown>).clusterIP).toBe('10.96.1.1');

    // Re-creating the same Service (say, after a failed create or a dry run) reuses its IP.
    expect((create(rt, svc('a', {})).object.spec as Record<string, unknown>).clusterIP).toBe('10.96.1.1');
    rt.allocator.release('default/a');
    expect((create(rt, svc('c', {})).object.spec as Record<string, unknown>).clusterIP).toBe('10.96.1.3');
  });

  it('allocates node ports and keeps them when an update leaves them out', () => {
    const rt = find(resources(), '', 'services');
    const created = create(rt, { metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80, targetPort: 'http' }] } });
    expect(created.errors).toEqual([]);
    const spec = created.object.spec as Record<string, any>;
    expect(spec.ports).toEqual([{ port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30086 }]);
    expect(spec.externalTrafficPolicy).toBe('Cluster');

    const updated = update(rt, created.object, { metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'y' }, ports: [{ port: 80, targetPort: 'http' }] } });
    expect(updated.errors).toEqual([]);
    expect(updated.object.spec).toMatchObject({ clusterIP: spec.clusterIP, ports: [{ port: 80, nodePort: 30086 }] });

    const toClusterIP = update(rt, updated.object, { ...updated.object, spec: { ...(updated.object.spec as object), type: 'ClusterIP' } });
    expect(toClusterIP.errors).toEqual([]);
    expect((toClusterIP.object.spec as Record<string, any>).ports).toEqual([{ port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect((toClusterIP.object.spec as Record<string, any>).externalTrafficPolicy).toBeUndefined();
  });

  it('creates a Namespace Active with the kubernetes finalizer and its name label', () => {
    const rt = find(resources(), '', 'namespaces');
    const { object, errors } = create(rt, { metadata: { name: 'team-a' } });
    expect(errors).toEqual([]);
    expect(object.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(object.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(object.status).toEqual({ phase: 'Active' });
  });

  it('folds Secret stringData into data and defaults the type', () => {
    const rt = find(resources(), '', 'secrets');
    const { object, errors } = create(rt, { metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { b: 'hello' } });
    expect(errors).toEqual([]);
    expect(object.type).toBe('Opaque');
    expect(object.data).toEqual({ a: 'YQ==', b: 'aGVsbG8=' });
    expect(object.stringData).toBeUndefined();
  });

  it('fills CronJob and StatefulSet defaults', () => {
    const rts = resources();
    const cj = create(find(rts, 'batch', 'cronjobs'), {
      metadata: { name: 'c' },
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'x' }] } } } } },
    });
    expect(cj.errors).toEqual([]);
    expect(cj.object.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect((cj.object.spec as Record<string, any>).jobTemplate.spec.completions).toBeUndefined();

    const sts = create(find(rts, 'apps', 'statefulsets'), {
      metadata: { name: 's' },
      spec: { serviceName: 's', selector: { matchLabels: { app: 's' } }, template: template({ app: 's' }) },
    });
    expect(sts.errors).toEqual([]);
    expect(sts.object.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  });

  it('defaults a DaemonSet to RollingUpdate 1/0', () => {
    const { object, errors } = create(find(resources(), 'apps', 'daemonsets'), {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: template({ app: 'd' }) },
    });
    expect(errors).toEqual([]);
    expect(object.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
  });
});
