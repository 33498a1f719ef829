// One storage conformance suite (k8s.io/apiserver pkg/storage/testing/store_tests.go in
// spirit): every Storage implementation runs it.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/apiserver/object.js';
import type { DeliveredEvent, Storage } from '../../src/apiserver/storage/interface.js';
import { StorageError } from '../../src/apiserver/storage/interface.js';

function cm(ns: string, name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name, labels }, data };
}

export function runStorageConformance(name: string, make: (opts?: { eventHistorySize?: number }) => Storage): void {
  describe(`storage conformance: ${name}`, () => {
    it('assigns increasing resourceVersions across resources and freezes stored objects', () => {
      const s = make();
      const a = s.create('configmaps', 'ns/a', cm('ns', 'a'));
      const b = s.create('secrets', 'ns/b', cm('ns', 'b'));
      expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
      expect(s.resourceVersion).toBe(Number(b.metadata.resourceVersion));
      expect(Object.isFrozen(a)).toBe(true);
      expect(Object.isFrozen(a.metadata)).toBe(true);
    });

    it('rejects a duplicate key and a missing key with typed errors', () => {
      const s = make();
      s.create('configmaps', 'ns/a', cm('ns', 'a'));
      expect(() => s.create('configmaps', 'ns/a', cm('ns', 'a'))).toThrowError(StorageError);
      expect(() => s.update('configmaps', 'ns/x', cm('ns', 'x'))).toThrow(/not found/);
      expect(() => s.delete('configmaps', 'ns/x')).toThrow(/not found/);
    });

    it('enforces optimistic concurrency on update and preconditions on delete', () => {
      const s = make();
      const a = s.create('configmaps', 'ns/a', cm('ns', 'a'));
      const a2 = s.update('configmaps', 'ns/a', cm('ns', 'a', {}, { k: 'v' }), a.metadata.resourceVersion);
      expect(() => s.update('configmaps', 'ns/a', cm('ns', 'a'), a.metadata.resourceVersion)).toThrow(/modified/);
      expect(() => s.delete('configmaps', 'ns/a', { resourceVersion: a.metadata.resourceVersion })).toThrow(/Precondition failed/);
      expect(() => s.delete('configmaps', 'ns/a', { uid: 'nope' })).toThrow(/Precondition failed: UID/);
      const gone = s.delete('configmaps', 'ns/a', { resourceVersion: a2.metadata.resourceVersion });
      expect(Number(gone.metadata.resourceVersion)).toBeGreaterThan(Number(a2.metadata.resourceVersion));
      expect(s.get('configmaps', 'ns/a')).toBeUndefined();
    });

    it('lists in key order, by namespace, with a predicate', () => {
      const s = make();
      for (const [ns, n] of [['b', 'x'], ['a', 'z'], ['a-b', 'y'], ['a', 'y']] as const) s.create('configmaps', `${ns}/${n}`, cm(ns, n, { n }));
      expect(s.list('configmaps').items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['a-b/y', 'a/y', 'a/z', 'b/x']);
      expect(s.list('configmaps', { namespace: 'a' }).items.map((o) => o.metadata.name)).toEqual(['y', 'z']);
      expect(s.list('configmaps', { predicate: (o) => o.metadata.labels?.n === 'y' }).items).toHaveLength(2);
      expect(s.count('configmaps', 'a')).toBe(2);
    });

    it('pages with limit and a start key, counting what remains', () => {
      const s = make();
      for (let i = 0; i < 5; i++) s.create('configmaps', `ns/c${i}`, cm('ns', `c${i}`));
      const p1 = s.list('configmaps', { limit: 2 });
      expect(p1.items.map((o) => o.metadata.name)).toEqual(['c0', 'c1']);
      expect(p1.lastKey).toBe('ns/c1');
      expect(p1.remainingItemCount).toBe(3);
      const p3 = s.list('configmaps', { limit: 2, startAfterKey: 'ns/c3' });
      expect(p3.items.map((o) => o.metadata.name)).toEqual(['c4']);
      expect(p3.lastKey).toBeUndefined();
    });

    it('lists the state as of an older resourceVersion (a consistent snapshot for continue)', () => {
      const s = make();
      s.create('configmaps', 'ns/a', cm('ns', 'a', {}, { v: '1' }));
      const rv = s.resourceVersion;
      s.create('configmaps', 'ns/b', cm('ns', 'b'));
      s.update('configmaps', 'ns/a', cm('ns', 'a', {}, { v: '2' }));
      s.delete('configmaps', 'ns/a');
      const old = s.list('configmaps', { atResourceVersion: rv });
      expect(old.items.map((o) => [o.metadata.name, (o.data as Record<string, string>).v])).toEqual([['a', '1']]);
      expect(old.resourceVersion).toBe(rv);
    });

    it('answers Expired for a resourceVersion older than the event history', () => {
      const s = make({ eventHistorySize: 2 });
      s.create('configmaps', 'ns/a', cm('ns', 'a'));
      const rv = s.resourceVersion;
      for (let i = 0; i < 3; i++) s.create('configmaps', `ns/b${i}`, cm('ns', `b${i}`));
      expect(() => s.list('configmaps', { atResourceVersion: rv })).toThrow(/too old resource version/);
      expect(() => s.watch('configmaps', { sinceResourceVersion: rv }, () => {})).toThrow(/too old resource version/);
    });

    it('watches: resume from a resourceVersion, initial state, and filter transitions', () => {
      const s = make();
      s.create('configmaps', 'ns/a', cm('ns', 'a', { app: 'x' }));
      const rv = s.resourceVersion;
      s.create('configmaps', 'ns/b', cm('ns', 'b', { app: 'x' }));
      const resumed: DeliveredEvent[] = [];
      s.watch('configmaps', { sinceResourceVersion: rv }, (e) => resumed.push(e));
      expect(resumed.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b']);

      const initial: DeliveredEvent[] = [];
      const h = s.watch('configmaps', { sendInitialState: true, predicate: (o) => o.metadata.labels?.app === 'x' }, (e) => initial.push(e));
      s.update('configmaps', 'ns/a', cm('ns', 'a', { app: 'y' }));
      s.update('configmaps', 'ns/a', cm('ns', 'a', { app: 'x' }));
      s.update('configmaps', 'ns/a', cm('ns', 'a', { app: 'x' }, { k: 'v' }));
      s.delete('configmaps', 'ns/b');
      h.stop();
      s.create('configmaps', 'ns/c', cm('ns', 'c', { app: 'x' }));
      expect(initial.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b', 'DELETED a', 'ADDED a', 'MODIFIED a', 'DELETED b']);
      // The DELETED for leaving the selector shows the last matching state at the new resourceVersion.
      expect(initial[2]!.object.metadata.labels).toEqual({ app: 'x' });
      expect(Number(initial[2]!.object.metadata.resourceVersion)).toBeGreaterThan(Number(initial[1]!.object.metadata.resourceVersion));
    });

    it('watches one namespace only', () => {
      const s = make();
      const seen: string[] = [];
      s.watch('configmaps', { namespace: 'a' }, (e) => seen.push(`${e.object.metadata.namespace}/${e.object.metadata.name}`));
      s.create('configmaps', 'a/x', cm('a', 'x'));
      s.create('configmaps', 'b/x', cm('b', 'x'));
      expect(seen).toEqual(['a/x']);
    });

    it('refuses a watch from a resourceVersion it has not reached', () => {
      const s = make();
      expect(() => s.watch('configmaps', { sinceResourceVersion: s.resourceVersion + 10 }, () => {})).toThrow(/Too large resource version/);
    });
  });
}
