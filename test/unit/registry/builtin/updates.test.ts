import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { create, find, resources, template, update, updateStatus } from './pipeline.js';

describe('updates', () => {
  const rts = resources();

  it('keeps a Job template immutable unless the Job is suspended and never started', () => {
    const jobs = find(rts, 'batch', 'jobs');
    const body: KubeObject = { metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } };
    const running = create(jobs, body, { uid: 'u' }).object;
    const withSelector = (job: KubeObject, nodeSelector: Record<string, string>): KubeObject => {
      const spec = job.spec as Record<string, any>;
      return { ...job, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, nodeSelector } } } };
    };
    const messages = update(jobs, running, withSelector(running, { zone: 'a' })).messages;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^spec\.template: Invalid value: .*: field is immutable$/);

    const suspended = create(jobs, { ...body, spec: { ...(body.spec as object), suspend: true } }, { uid: 'v' }).object;
    expect(update(jobs, suspended, withSelector(suspended, { zone: 'a' })).messages).toEqual([]);
    // Parallelism may always change.
    expect(update(jobs, running, { ...running, spec: { ...(running.spec as object), parallelism: 4 } }).messages).toEqual([]);
  });

  it('keeps Namespace finalizers through the main resource and checks the phase through status', () => {
    const namespaces = find(rts, '', 'namespaces');
    const ns = create(namespaces, { metadata: { name: 'a' } }).object;
    expect(update(namespaces, ns, { ...ns, spec: { finalizers: [] } }).object.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(updateStatus(namespaces, ns, { ...ns, status: { phase: 'Terminating' } }).messages).toEqual([
      'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
    ]);
  });

  it('forbids StatefulSet spec changes other than the mutable fields', () => {
    const sts = find(rts, 'apps', 'statefulsets');
    const created = create(sts, { metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { app: 's' } }, template: template({ app: 's' }) } }).object;
    expect(update(sts, created, { ...created, spec: { ...(created.spec as object), replicas: 5 } }).messages).toEqual([]);
    expect(update(sts, created, { ...created, spec: { ...(created.spec as object), serviceName: 'other' } }).messages).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('switches a Service to ExternalName and back', () => {
    const services = find(resources(), '', 'services');
    const svc = create(services, { metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }] } }).object;
    const external = update(services, svc, { ...svc, spec: { ...(svc.spec as object), type: 'ExternalName', externalName: 'db.example.com.' } });
    expect(external.errors).toEqual([]);
    expect(external.object.spec).toEqual({
      ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }],
      type: 'ExternalName',
      externalName: 'db.example.com.',
      sessionAffinity: 'None',
    });
    const back = update(services, external.object, { ...external.object, spec: { ports: [{ port: 5432 }] } });
    expect(back.errors).toEqual([]);
    expect(back.object.spec).toMatchObject({ type: 'ClusterIP', clusterIP: '10.96.1.2' });
    const cells = services.printer!.cells(external.object, Date.now());
    expect(cells.slice(1, 5)).toEqual(['ExternalName', '<none>', 'db.example.com.', '5432/TCP']);
  });

  it('keeps a Deployment spec and labels through deployments/status', () => {
    const deployments = find(rts, 'apps', 'deployments');
    const d = create(deployments, { metadata: { name: 'w', labels: { a: '1' } }, spec: { selector: { matchLabels: { app: 'w' } }, template: template({ app: 'w' }) } }).object;
    const res = updateStatus(deployments, d, { metadata: { name: 'w', labels: { a: '2' } }, spec: { replicas: 7 }, status: { replicas: 1, readyReplicas: 2 } });
    expect(res.object.spec).toEqual(d.spec);
    expect(res.object.metadata.labels).toEqual({ a: '1' });
    expect(res.messages).toEqual(['status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas']);
  });
});
