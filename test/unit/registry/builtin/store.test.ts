// The built-in strategies through the registry's real write pipeline (GenericStore over
// MemoryStorage): generateName resolved before the Job selector is generated, metadata
// validated with each kind's name rule, status kept apart from spec.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { ResourceCatalog } from '../../../../src/apiserver/registry/catalog.js';
import type { RegistryContext } from '../../../../src/apiserver/registry/context.js';
import { GenericStore } from '../../../../src/apiserver/registry/generic-store.js';
import { MemoryStorage } from '../../../../src/apiserver/storage/memory.js';
import { find, NOW, resources } from './pipeline.js';

function setup(): { store: (group: string, resource: string) => GenericStore } {
  const rts = resources();
  let uid = 0;
  const ctx: RegistryContext = {
    storage: new MemoryStorage(),
    catalog: new ResourceCatalog(rts),
    clock: { now: () => new Date(NOW) },
    newUID: () => `uid-${++uid}`,
    randomSuffix: () => 'x7k2q',
  };
  const store = (group: string, resource: string): GenericStore => new GenericStore(find(rts, group, resource), ctx);
  store('', 'namespaces').create('', { metadata: { name: 'default' } }, { dryRun: false, fieldManager: 'test', subresource: '' });
  return { store };
}

const opts = { dryRun: false, fieldManager: 'kubectl', subresource: '' };

describe('built-in kinds through the GenericStore', () => {
  it('creates a Job from generateName with the generated selector', () => {
    const { store } = setup();
    const job = store('batch', 'jobs').create(
      'default',
      { metadata: { generateName: 'pi-' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } },
      opts,
    );
    expect(job.metadata.name).toBe('pi-x7k2q');
    expect((job.spec as Record<string, any>).template.metadata.labels['batch.kubernetes.io/job-name']).toBe('pi-x7k2q');
    expect((job.spec as Record<string, any>).selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(job.metadata.uid);
  });

  it('rejects a namespace name that is not a DNS label and a bad Deployment with Invalid', () => {
    const { store } = setup();
    expect(() => store('', 'namespaces').create('', { metadata: { name: 'a.b' } }, opts)).toThrow(/metadata\.name: Invalid value: "a\.b": must not contain dots/);
    expect(() =>
      store('apps', 'deployments').create(
        'default',
        { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'web' }] } } } },
        opts,
      ),
    ).toThrow(
      'Deployment.apps "web" is invalid: [spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`, spec.template.spec.containers[0].image: Required value]',
    );
  });

  it('bumps generation on a spec change, keeps status on update and spec on status update', () => {
    const { store } = setup();
    const deployments = store('apps', 'deployments');
    const body: KubeObject = {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    };
    const created = deployments.create('default', body, opts);
    const scaled = deployments.update('default', 'web', { ...created, spec: { ...(created.spec as object), replicas: 3 }, status: { replicas: 9 } }, opts).object;
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.status).toEqual({});
    const status = deployments.update('default', 'web', { ...scaled, spec: { replicas: 1 }, status: { replicas: 3, readyReplicas: 2 } }, { ...opts, subresource: 'status' }).object;
    expect((status.spec as Record<string, unknown>).replicas).toBe(3);
    expect(status.status).toEqual({ replicas: 3, readyReplicas: 2 });
    expect(status.metadata.generation).toBe(2);
  });

  it('allocates a Service IP once and keeps it across a re-apply without it', () => {
    const { store } = setup();
    const services = store('', 'services');
    const created = services.create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, opts);
    const ip = (created.spec as Record<string, unknown>).clusterIP;
    expect(ip).toBe('10.96.1.1');
    const reapplied = services.update('default', 'web', { metadata: { name: 'web' }, spec: { selector: { app: 'web2' }, ports: [{ port: 80 }] } }, opts).object;
    expect(reapplied.spec).toMatchObject({ clusterIP: ip, clusterIPs: [ip], selector: { app: 'web2' } });
  });
});
