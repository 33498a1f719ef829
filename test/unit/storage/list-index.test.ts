// Lists that start from an index (label key=value, metadata.name) must return exactly what a
// scan of every object returns: same items, same order, same paging, same snapshot at an
// older resourceVersion. Each case runs the list both ways.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/apiserver/object.js';
import type { ListOptions, ListResult } from '../../../src/apiserver/storage/interface.js';
import { MemoryStorage } from '../../../src/apiserver/storage/memory.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../../src/apiserver/storage/selectors.js';
import { mergeSorted, SortedKeys } from '../../../src/apiserver/storage/sorted-keys.js';

function cm(ns: string, name: string, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name, ...(labels ? { labels } : {}) } };
}

interface Query {
  labels?: string;
  fields?: string;
  namespace?: string;
  limit?: number;
  startAfterKey?: string;
  atResourceVersion?: number;
}

/** The list options the list handler builds: a predicate, and (indexed) the requirements behind it. */
function options(q: Query, indexed: boolean): ListOptions {
  const ls = q.labels ? parseLabelSelector(q.labels) : undefined;
  const fs = q.fields ? parseFieldSelector(q.fields) : undefined;
  const predicate = (o: KubeObject) =>
    (!ls || matchesLabels(ls, o.metadata.labels)) &&
    (!fs || matchesFields(fs, (f) => (f === 'metadata.name' ? o.metadata.name : f === 'metadata.namespace' ? o.metadata.namespace : undefined)));
  return {
    namespace: q.namespace,
    limit: q.limit,
    startAfterKey: q.startAfterKey,
    atResourceVersion: q.atResourceVersion,
    ...(ls || fs ? { predicate } : {}),
    ...(indexed && (ls || fs) ? { selector: { labels: ls?.requirements, fields: fs?.requirements } } : {}),
  };
}

const names = (r: ListResult) => r.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

/** Lists both ways, checks they agree, and returns the indexed result. */
function list(s: MemoryStorage, q: Query): ListResult {
  const indexed = s.list('configmaps', options(q, true));
  const scanned = s.list('configmaps', options(q, false));
  expect(indexed).toEqual(scanned);
  return indexed;
}

/**
 * A store of 12 ConfigMaps in namespaces a, b, c: app=x on even i, tier=t(i % 3); with
 * `fillers`, 20 more per namespace labelled fill=yes, so the label index is the smaller set.
 */
function store(fillers = true): MemoryStorage {
  const s = new MemoryStorage();
  if (fillers) for (const ns of 'abc') for (let i = 0; i < 20; i++) s.create('configmaps', `${ns}/f-${i}`, cm(ns, `f-${i}`, { fill: 'yes' }));
  for (let i = 0; i < 12; i++) s.create('configmaps', `${'abc'[i % 3]}/cm-${String(i).padStart(2, '0')}`, cm('abc'[i % 3]!, `cm-${String(i).padStart(2, '0')}`, { app: i % 2 ? 'y' : 'x', tier: `t${i % 3}` }));
  return s;
}

describe('indexed lists', () => {
  const cases: Array<{ name: string; change?: (s: MemoryStorage) => void; query: Query; want: string[] }> = [
    { name: 'label across namespaces', query: { labels: 'app=x,tier=t0' }, want: ['a/cm-00', 'a/cm-06'] },
    { name: 'label in one namespace', query: { labels: 'app==x', namespace: 'b' }, want: ['b/cm-04', 'b/cm-10'] },
    { name: 'set-based label', query: { labels: 'tier in (t1,t2),app=y', namespace: 'c' }, want: ['c/cm-05', 'c/cm-11'] },
    { name: 'a value nobody has', query: { labels: 'app=none' }, want: [] },
    { name: 'a label nobody has', query: { labels: 'team=z' }, want: [] },
    { name: 'not-equals is not indexed but still answers', query: { labels: 'app!=x,tier=t1' }, want: ['b/cm-01', 'b/cm-07'] },
    { name: 'metadata.name across namespaces', query: { fields: 'metadata.name=cm-04' }, want: ['b/cm-04'] },
    { name: 'metadata.name in its namespace', query: { fields: 'metadata.name=cm-04', namespace: 'b' }, want: ['b/cm-04'] },
    { name: 'metadata.name in another namespace', query: { fields: 'metadata.name=cm-04', namespace: 'a' }, want: [] },
    { name: 'metadata.namespace narrows to a range', query: { fields: 'metadata.namespace=c', labels: 'app=y' }, want: ['c/cm-05', 'c/cm-11'] },
    {
      name: 'an object created after the first list is indexed',
      change: (s) => {
        s.list('configmaps');
        s.create('configmaps', 'a/cm-000', cm('a', 'cm-000', { app: 'x', tier: 't0' }));
      },
      query: { labels: 'app=x,tier=t0' },
      want: ['a/cm-00', 'a/cm-000', 'a/cm-06'],
    },
    {
      name: 'a label changed on update moves the object',
      change: (s) => {
        s.update('configmaps', 'a/cm-00', cm('a', 'cm-00', { app: 'y', tier: 't0' }));
        s.update('configmaps', 'a/cm-03', cm('a', 'cm-03', { app: 'x', tier: 't0' }));
      },
      query: { labels: 'app=x', namespace: 'a' },
      want: ['a/cm-03', 'a/cm-06'],
    },
    {
      name: 'labels removed on update leave the index',
      change: (s) => s.update('configmaps', 'a/cm-06', cm('a', 'cm-06')),
      query: { labels: 'tier=t0' },
      want: ['a/cm-00', 'a/cm-03', 'a/cm-09'],
    },
    {
      name: 'a deleted object leaves the index, a re-created one returns',
      change: (s) => {
        s.list('configmaps');
        s.delete('configmaps', 'a/cm-00');
        s.delete('configmaps', 'a/cm-06');
        s.create('configmaps', 'a/cm-06', cm('a', 'cm-06', { app: 'x', tier: 't0' }));
      },
      query: { labels: 'app=x,tier=t0' },
      want: ['a/cm-06'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = store();
      c.change?.(s);
      expect(names(list(s, c.query))).toEqual(c.want);
    });
  }

  it('pages through an indexed list with limit and continue', () => {
    const s = store();
    const pages: string[][] = [];
    let startAfterKey: string | undefined;
    for (;;) {
      const page = list(s, { labels: 'app=x', limit: 2, startAfterKey });
      pages.push(names(page));
      if (page.lastKey === undefined) break;
      startAfterKey = page.lastKey;
    }
    expect(pages).toEqual([['a/cm-00', 'a/cm-06'], ['b/cm-04', 'b/cm-10'], ['c/cm-02', 'c/cm-08']]);
  });

  it('reads an indexed list at an older resourceVersion, where labels were different', () => {
    const s = store();
    const rv = s.resourceVersion;
    s.update('configmaps', 'a/cm-00', cm('a', 'cm-00', { app: 'y' }));
    s.delete('configmaps', 'b/cm-04');
    s.create('configmaps', 'a/cm-01', cm('a', 'cm-01', { app: 'x' }));
    expect(names(list(s, { labels: 'app=x', atResourceVersion: rv }))).toEqual(['a/cm-00', 'a/cm-06', 'b/cm-04', 'b/cm-10', 'c/cm-02', 'c/cm-08']);
    expect(names(list(s, { labels: 'app=x', atResourceVersion: rv, limit: 3, startAfterKey: 'a/cm-06' }))).toEqual(['b/cm-04', 'b/cm-10', 'c/cm-02']);
    expect(names(list(s, { labels: 'app=x' }))).toEqual(['a/cm-01', 'a/cm-06', 'b/cm-10', 'c/cm-02', 'c/cm-08']);
  });

  it('agrees with a scan through random creates, label changes and deletes', () => {
    const s = new MemoryStorage();
    let seed = 7;
    // xorshift32: deterministic, and every residue appears (an LCG's low bits do not).
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const rvs: number[] = [];
    const model = new Map<string, Record<string, string> | undefined>();
    const queries: Query[] = [{ labels: 'app=x' }, { labels: 'app in (x,z)', namespace: 'b' }, { fields: 'metadata.name=n3' }, { labels: 'app=y,tier=1' }];
    for (let step = 0; step < 400; step++) {
      const key = `${'abc'[rand(3)]}/n${rand(10)}`;
      const [ns, name] = key.split('/') as [string, string];
      const labels = rand(4) ? { app: 'xyz'[rand(3)]!, tier: String(rand(2)) } : undefined;
      if (!s.get('configmaps', key)) s.create('configmaps', key, cm(ns, name, labels));
      else if (rand(3)) s.update('configmaps', key, cm(ns, name, labels));
      else s.delete('configmaps', key);
      if (s.get('configmaps', key)) model.set(key, labels);
      else model.delete(key);
      rvs.push(s.resourceVersion);
      if (step % 20 === 0) {
        // The whole list is the model's current state, in key order.
        const want = [...model].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, l]) => [k, l]);
        expect(s.list('configmaps').items.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.labels])).toEqual(want);
        for (const q of queries) {
          list(s, q);
          list(s, { ...q, limit: 2 });
          list(s, { ...q, atResourceVersion: rvs[Math.max(0, rvs.length - 1 - rand(15))], limit: 1 + rand(3), startAfterKey: 'b/n5' });
        }
      }
    }
  });
});

describe('remainingItemCount', () => {
  const cases: Array<{ name: string; query: Query; change?: boolean; want: number | undefined }> = [
    { name: 'all namespaces', query: { limit: 5 }, want: 7 },
    { name: 'to the end of one namespace', query: { limit: 1, namespace: 'b' }, want: 3 },
    { name: 'after a continue key', query: { limit: 1, namespace: 'a', startAfterKey: 'a/cm-03' }, want: 1 },
    { name: 'none left', query: { limit: 4, namespace: 'c' }, want: undefined },
    { name: 'at an older resourceVersion (created since: not counted, deleted since: counted)', query: { limit: 2, namespace: 'a' }, change: true, want: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = store(false);
      let q = c.query;
      if (c.change) {
        q = { ...q, atResourceVersion: s.resourceVersion };
        s.create('configmaps', 'a/cm-05x', cm('a', 'cm-05x'));
        s.create('configmaps', 'a/cm-99', cm('a', 'cm-99'));
        s.delete('configmaps', 'a/cm-09');
      }
      expect(list(s, q).remainingItemCount).toBe(c.want);
    });
  }
});

describe('sorted keys', () => {
  it('merges creates, updates and deletes since the last read into etcd order', () => {
    const present = new Map([['b', 1], ['d', 1], ['f', 1]]);
    const keys = new SortedKeys(present);
    expect(keys.get()).toEqual({ keys: ['b', 'd', 'f'], values: [1, 1, 1] });
    const steps: Array<['+' | '-' | '~', string, number?]> = [
      ['+', 'a', 2], ['-', 'd'], ['+', 'e', 3], ['+', 'd', 4], ['~', 'd', 5], ['-', 'e'], ['+', 'z', 6], ['-', 'z'], ['+', 'z', 7], ['-', 'b'], ['~', 'f', 8],
    ];
    for (const [op, k, v] of steps) {
      if (op === '+') {
        present.set(k, v!);
        keys.created(k);
      } else if (op === '~') {
        present.set(k, v!);
        keys.updated(k, v!);
      } else {
        present.delete(k);
        keys.deleted(k);
      }
    }
    expect(keys.get()).toEqual({ keys: ['a', 'd', 'f', 'z'], values: [2, 5, 8, 7] });
    keys.updated('a', 9);
    expect(keys.get()).toEqual({ keys: ['a', 'd', 'f', 'z'], values: [9, 5, 8, 7] });
  });

  it('merges two sorted lists without duplicates', () => {
    expect(mergeSorted(['a', 'c', 'e'], ['b', 'c', 'f'])).toEqual(['a', 'b', 'c', 'e', 'f']);
    expect(mergeSorted([], ['a'])).toEqual(['a']);
  });
});
