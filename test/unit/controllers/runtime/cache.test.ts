import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { Cache, LABEL_INDEX, NAMESPACE_INDEX, OWNER_UID_INDEX } from '../../../../src/controllers/runtime/cache.js';

const obj = (ns: string | undefined, name: string, labels: Record<string, string> = {}, owners: string[] = [], rv = '1'): KubeObject =>
  Object.freeze({
    metadata: {
      name,
      namespace: ns,
      labels,
      resourceVersion: rv,
      ownerReferences: owners.map((uid) => ({ apiVersion: 'batch/v1', kind: 'Job', name: uid, uid })),
    },
  });

describe('Cache', () => {
  const fill = () => {
    const c = new Cache({ indexers: { byNode: (o) => [String(o.metadata.labels?.node ?? '')].filter(Boolean) } });
    c.set(obj('a', 'p1', { app: 'web', node: 'n1' }, ['j1']));
    c.set(obj('a', 'p2', { app: 'db' }, ['j1', 'j2']));
    c.set(obj('b', 'p1', { app: 'web', node: 'n1' }));
    c.set(obj(undefined, 'node1', { role: 'x' }));
    return c;
  };

  it('gets by namespace/name and by name for cluster-scoped objects', () => {
    const c = fill();
    expect(c.get('p1', 'a')?.metadata.namespace).toBe('a');
    expect(c.get('node1')?.metadata.name).toBe('node1');
    expect(c.getByKey('b/p1')).toBeDefined();
    expect(c.keys().sort()).toEqual(['a/p1', 'a/p2', 'b/p1', 'node1']);
  });

  it.each([
    [{}, ['a/p1', 'a/p2', 'b/p1', '/node1']],
    [{ namespace: 'a' }, ['a/p1', 'a/p2']],
    [{ labelSelector: { app: 'web' } }, ['a/p1', 'b/p1']],
    [{ namespace: 'b', labelSelector: { app: 'web' } }, ['b/p1']],
    [{ labelSelector: { app: 'web', node: 'n1' } }, ['a/p1', 'b/p1']],
    [{ labelSelector: { app: 'web', node: 'n2' } }, []],
    [{ namespace: 'zzz' }, []],
  ])('list(%j)', (opts, want) => {
    const got = fill()
      .list(opts)
      .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`)
      .sort();
    expect(got).toEqual(want.sort());
  });

  it.each([
    [NAMESPACE_INDEX, 'a', ['a/p1', 'a/p2']],
    [OWNER_UID_INDEX, 'j1', ['a/p1', 'a/p2']],
    [OWNER_UID_INDEX, 'j2', ['a/p2']],
    [LABEL_INDEX, 'app=web', ['a/p1', 'b/p1']],
    ['byNode', 'n1', ['a/p1', 'b/p1']],
  ])('byIndex(%s, %s)', (index, value, want) => {
    const got = fill()
      .byIndex(index, value)
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
      .sort();
    expect(got).toEqual(want);
  });

  it('moves an object between index values on replace and forgets it on delete', () => {
    const c = fill();
    c.set(obj('a', 'p1', { app: 'db' }, ['j2'], '2'));
    expect(c.byIndex(LABEL_INDEX, 'app=web').map((o) => o.metadata.namespace)).toEqual(['b']);
    expect(c.byIndex(OWNER_UID_INDEX, 'j2')).toHaveLength(2);
    expect(c.byIndex('byNode', 'n1')).toHaveLength(1);
    c.delete('a/p2');
    expect(c.byIndex(OWNER_UID_INDEX, 'j1')).toEqual([]);
    expect(c.size()).toBe(3);
  });

  it('indexes existing objects when an indexer is added later; refuses duplicates and unknown indexes', () => {
    const c = fill();
    c.addIndexers({ byApp: (o) => [o.metadata.labels?.app ?? ''] });
    expect(c.byIndex('byApp', 'web')).toHaveLength(2);
    expect(() => c.addIndexers({ byApp: () => [] })).toThrow(/already exists/);
    expect(() => c.byIndex('nope', 'x')).toThrow(/no index/);
  });
});
