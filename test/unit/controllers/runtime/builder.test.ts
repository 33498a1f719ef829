import { describe, expect, it } from 'vitest';
import type { ResourceRef } from '../../../../src/clients/interfaces.js';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { controllerFor, controllerOwnerRequests } from '../../../../src/controllers/runtime/builder.js';
import { VirtualClock } from '../../../../src/controllers/runtime/clock.js';
import { Manager } from '../../../../src/controllers/runtime/manager.js';
import type { Request } from '../../../../src/controllers/runtime/reconcile.js';
import { FakeClient, flush } from './fake-client.js';

const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };

const job = (name: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'ns', uid: `uid-${name}` } });
const podOf = (name: string, owners: KubeObject['metadata']['ownerReferences']): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, ownerReferences: owners },
});
const ctrl = (kind: string, name: string, apiVersion = 'batch/v1', controller = true) => ({ apiVersion, kind, name, uid: `uid-${name}`, controller });

function recorder() {
  const seen: string[] = [];
  return {
    seen,
    reconciler: {
      async reconcile(req: Request) {
        seen.push(req.namespace ? `${req.namespace}/${req.name}` : req.name);
      },
    },
  };
}

describe('controllerOwnerRequests', () => {
  it.each([
    ['controller owner of the for kind', [ctrl('Job', 'j1')], [{ namespace: 'ns', name: 'j1' }]],
    ['owner that is not the controller', [ctrl('Job', 'j1', 'batch/v1', false)], []],
    ['controller of another kind', [ctrl('ReplicaSet', 'rs', 'apps/v1')], []],
    ['same kind, other group', [ctrl('Job', 'j1', 'example.com/v1')], []],
    ['no owners', undefined, []],
    ['picks the controller among several', [ctrl('Job', 'x', 'batch/v1', false), ctrl('Job', 'j2')], [{ namespace: 'ns', name: 'j2' }]],
  ])('%s', (_name, owners, want) => {
    expect(controllerOwnerRequests(podOf('p', owners), JOBS, 'Job')).toEqual(want);
  });
});

describe('controllerFor builder', () => {
  it('refuses a build without a reconciler or without a watch', () => {
    const client = new FakeClient();
    const clock = new VirtualClock(0);
    expect(() => controllerFor(JOBS).build({ name: 'x', client, clock })).toThrow(/reconciler/);
    expect(() => controllerFor(JOBS).withReconciler(recorder().reconciler).build({ name: 'x' })).toThrow(/manager, or a client/);
  });

  it('enqueues for objects by their own key and owned objects by their controller owner', async () => {
    const client = new FakeClient();
    const clock = new VirtualClock(0);
    const manager = new Manager({ client, clock });
    client.set(JOBS, job('j1'));
    client.set(PODS, podOf('p-orphan', []));
    client.set(PODS, podOf('p1', [ctrl('Job', 'j2')]));
    const { seen, reconciler } = recorder();
    const nodeMapped: Request[] = [{ namespace: 'ns', name: 'from-node' }];
    controllerFor(JOBS, { kind: 'Job' })
      .owns(PODS)
      .watches(NODES, () => nodeMapped)
      .withReconciler(reconciler)
      .build({ name: 'job', manager });
    await manager.start();
    await flush();
    expect(seen.sort()).toEqual(['ns/j1', 'ns/j2']);

    seen.length = 0;
    client.emit(PODS, 'ADDED', podOf('p2', [ctrl('Job', 'j3')]));
    client.emit(PODS, 'ADDED', podOf('p3', [ctrl('ReplicaSet', 'rs', 'apps/v1')]));
    client.emit(NODES, 'ADDED', { metadata: { name: 'n1' } });
    await flush();
    expect(seen.sort()).toEqual(['ns/from-node', 'ns/j3']);

    // an owner change wakes both the old and the new owner
    seen.length = 0;
    client.emit(PODS, 'MODIFIED', podOf('p2', [ctrl('Job', 'j4')]));
    await flush();
    expect(seen.sort()).toEqual(['ns/j3', 'ns/j4']);

    seen.length = 0;
    client.emit(PODS, 'DELETED', podOf('p2', [ctrl('Job', 'j4')]));
    await flush();
    expect(seen).toEqual(['ns/j4']);
    await manager.stop();
  });

  it('finds the for kind by discovery when not given, without losing early owned objects', async () => {
    const client = new FakeClient();
    client.resources = [{ ...JOBS, kind: 'Job', verbs: ['list', 'watch'] }];
    const clock = new VirtualClock(0);
    const manager = new Manager({ client, clock });
    client.set(PODS, podOf('p1', [ctrl('Job', 'j9')]));
    const { seen, reconciler } = recorder();
    controllerFor(JOBS).owns(PODS).withReconciler(reconciler).build({ name: 'job', manager });
    await manager.start();
    await flush();
    expect(seen).toEqual(['ns/j9']);
    await manager.stop();
  });

  it('shares one informer per resource between controllers of a manager', async () => {
    const client = new FakeClient();
    const clock = new VirtualClock(0);
    const manager = new Manager({ client, clock });
    client.set(PODS, podOf('p1', [ctrl('Job', 'j1')]));
    const a = recorder();
    const b = recorder();
    controllerFor(JOBS, { kind: 'Job' }).owns(PODS).withReconciler(a.reconciler).build({ name: 'a', manager });
    controllerFor(PODS).withReconciler(b.reconciler).build({ name: 'b', manager });
    expect(manager.informerFor(PODS)).toBe(manager.informerFor(PODS));
    await manager.start();
    await flush();
    expect(client.listCalls.map((l) => l.ref.resource).sort()).toEqual(['jobs', 'pods']);
    expect(client.watches).toHaveLength(2);
    expect(a.seen).toEqual(['ns/j1']);
    expect(b.seen).toEqual(['ns/p1']);
    await manager.stop();
    expect(client.open(PODS)).toHaveLength(0);
  });

  it('without a manager, the controller starts and stops its own informers', async () => {
    const client = new FakeClient();
    const clock = new VirtualClock(0);
    client.set(JOBS, job('j1'));
    const { seen, reconciler } = recorder();
    const c = controllerFor(JOBS).withReconciler(reconciler).build({ name: 'solo', client, clock });
    await c.start();
    await flush();
    expect(seen).toEqual(['ns/j1']);
    await c.stop();
    expect(client.open(JOBS)).toHaveLength(0);
  });

  it('a controller added after the manager started gets a started, synced informer', async () => {
    const client = new FakeClient();
    const clock = new VirtualClock(0);
    const manager = new Manager({ client, clock });
    await manager.start();
    client.set(JOBS, job('late'));
    const { seen, reconciler } = recorder();
    controllerFor(JOBS).withReconciler(reconciler).build({ name: 'late', manager });
    await flush();
    expect(seen).toEqual(['ns/late']);
    await manager.stop();
  });
});
