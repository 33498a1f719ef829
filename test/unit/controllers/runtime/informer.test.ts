import { describe, expect, it } from 'vitest';
import { ApiError, type ResourceRef } from '../../../../src/clients/interfaces.js';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { VirtualClock } from '../../../../src/controllers/runtime/clock.js';
import { Informer } from '../../../../src/controllers/runtime/informer.js';
import { FakeClient, flush } from './fake-client.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

const pod = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...extra },
});

function setup() {
  const client = new FakeClient();
  const clock = new VirtualClock(0);
  const errors: unknown[] = [];
  const informer = new Informer({ client, clock, ref: PODS, onError: (e) => errors.push(e) });
  const log: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onUpdate: (a, b) => log.push(`update ${a.metadata.name}@${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o) => log.push(`delete ${o.metadata.name}`),
  });
  return { client, clock, informer, log, errors };
}

describe('Informer', () => {
  it('lists, syncs, then watches from the list resourceVersion with bookmarks', async () => {
    const { client, informer, log } = setup();
    const a = client.set(PODS, pod('a'));
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(log).toEqual([`add a@${a.metadata.resourceVersion}`]);
    await flush();
    expect(client.watches).toHaveLength(1);
    expect(client.watches[0]!.opts).toMatchObject({ resourceVersion: String(client.rv), allowWatchBookmarks: true });

    const b = client.emit(PODS, 'ADDED', pod('b'));
    const a2 = client.emit(PODS, 'MODIFIED', { ...a, spec: { x: 1 } });
    client.emit(PODS, 'DELETED', b);
    expect(log.slice(1)).toEqual([
      `add b@${b.metadata.resourceVersion}`,
      `update a@${a.metadata.resourceVersion}->${a2.metadata.resourceVersion}`,
      'delete b',
    ]);
    expect(informer.cache.get('a', 'ns')).toBe(a2); // stored as received
    expect(informer.cache.get('b', 'ns')).toBeUndefined();
    client.bookmark(PODS);
    expect(informer.lastSyncResourceVersion()).toBe(String(client.rv));
    await informer.stop();
    expect(client.open(PODS)).toHaveLength(0);
  });

  it('relists on a 410 ERROR event and delivers the difference', async () => {
    const { client, informer, log } = setup();
    const keep = client.set(PODS, pod('keep'));
    const change = client.set(PODS, pod('change'));
    const gone = client.set(PODS, pod('gone'));
    informer.start();
    await informer.waitForSync();
    await flush();
    log.length = 0;

    // While the watch is behind, the server changes things it never tells us about.
    const changed = client.set(PODS, { ...change, spec: { v: 2 } });
    client.remove(PODS, 'gone', 'ns');
    const fresh = client.set(PODS, pod('fresh'));
    client.expire(PODS);
    await flush();

    expect(client.listCalls).toHaveLength(2);
    expect(log.sort()).toEqual(
      [
        `update change@${change.metadata.resourceVersion}->${changed.metadata.resourceVersion}`,
        'delete gone',
        `add fresh@${fresh.metadata.resourceVersion}`,
      ].sort(),
    );
    expect(informer.cache.get('keep', 'ns')).toBe(keep);
    expect(informer.cache.get('gone', 'ns')).toBeUndefined();
    expect(gone.metadata.name).toBe('gone');
    // a new watch from the relist's resourceVersion
    const open = client.open(PODS);
    expect(open).toHaveLength(1);
    expect(open[0]!.opts.resourceVersion).toBe(String(client.rv));
    await informer.stop();
  });

  it('relists when the watch call itself answers 410 Gone', async () => {
    const { client, informer, errors } = setup();
    client.watchErrors.push(new ApiError(410, 'Expired', 'too old resource version'));
    informer.start();
    await informer.waitForSync();
    await flush();
    expect(client.listCalls).toHaveLength(2);
    expect(client.open(PODS)).toHaveLength(1);
    expect(errors).toEqual([]);
    await informer.stop();
  });

  it('resumes a dropped stream from the last resourceVersion after a doubling backoff', async () => {
    const { client, clock, informer, log, errors } = setup();
    informer.start();
    await informer.waitForSync();
    await flush();
    const a = client.emit(PODS, 'ADDED', pod('a'));

    client.drop(PODS);
    await flush();
    expect(client.open(PODS)).toHaveLength(0);
    clock.advance(799);
    await flush();
    expect(client.open(PODS)).toHaveLength(0);
    clock.advance(1);
    await flush();
    expect(client.open(PODS)).toHaveLength(1);
    expect(client.open(PODS)[0]!.opts.resourceVersion).toBe(a.metadata.resourceVersion);

    // dropped again before any event: the wait doubles
    client.drop(PODS);
    await flush();
    clock.advance(1599);
    await flush();
    expect(client.open(PODS)).toHaveLength(0);
    clock.advance(1);
    await flush();
    expect(client.open(PODS)).toHaveLength(1);

    // an event proves the stream works: the next wait starts again from 800ms
    client.emit(PODS, 'ADDED', pod('b'));
    client.drop(PODS);
    await flush();
    clock.advance(800);
    await flush();
    expect(client.open(PODS)).toHaveLength(1);

    expect(client.listCalls).toHaveLength(1); // never relisted
    expect(log).toEqual([`add a@${a.metadata.resourceVersion}`, expect.stringMatching(/^add b@/)]);
    expect(errors).toHaveLength(3);
    await informer.stop();
  });

  it('a server timeout (clean close) rewatches at once', async () => {
    const { client, informer } = setup();
    informer.start();
    await informer.waitForSync();
    await flush();
    client.open(PODS)[0]!.close();
    await flush();
    expect(client.open(PODS)).toHaveLength(1);
    expect(client.watches).toHaveLength(2);
    await informer.stop();
  });

  it('retries a failed list after a backoff, and replays the cache to late handlers', async () => {
    const { client, clock, informer } = setup();
    client.set(PODS, pod('a'));
    client.listErrors.push(new ApiError(500, 'InternalError', 'boom'));
    informer.start();
    await flush();
    expect(informer.hasSynced()).toBe(false);
    clock.advance(800);
    await informer.waitForSync();
    const late: string[] = [];
    informer.addEventHandler({ onAdd: (o) => late.push(o.metadata.name!) });
    expect(late).toEqual(['a']);
    await informer.stop();
  });

  it('keeps going when a handler throws', async () => {
    const { client, informer, log, errors } = setup();
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    informer.start();
    await informer.waitForSync();
    await flush();
    client.emit(PODS, 'ADDED', pod('a'));
    client.emit(PODS, 'ADDED', pod('b'));
    expect(log).toHaveLength(2);
    expect(errors).toHaveLength(2);
    await informer.stop();
  });
});
