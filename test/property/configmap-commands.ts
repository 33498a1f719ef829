// fast-check commands over one namespace's ConfigMaps: create, update (PUT with a current,
// stale or no resourceVersion), merge / strategic merge / JSON patch, server-side apply (forced
// or not), delete (with preconditions, finalizers), finalizer removal, and selector lists. Each
// predicts its answer from the model, sends it over HTTP, and the namespace is compared with
// the model after every command.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Res } from '../e2e/http-client.js';
import { data, dataKey, dataValue, labelKey, labels, labelValue, mapPatch, name } from './arbitraries.js';
import { checkModel, nextByApply, nextByUpdate, type Entry, type Model, type Real, type Rec } from './configmap-model.js';
import { labelSelector } from './selectors.js';
import { expectFailureStatus, expectNo5xx } from './support.js';

type Next = { labels: Rec; data: Rec; finalizers: string[]; owners: Entry['owners']; changed: boolean; deleting?: boolean };
type Expect = { reject: [number, string] } | { next: Next | 'gone' };

const FINALIZER = 'example.com/keep';
const managers = fc.constantFrom('editor-1', 'editor-2');

/** Sends, checks the answer against the expectation, and advances the model. */
async function perform(m: Model, r: Real, objName: string, want: Expect, send: () => Promise<Res>): Promise<void> {
  const res = await send();
  expectNo5xx(res);
  if ('reject' in want) {
    expectFailureStatus(res, ...want.reject);
  } else {
    expect(res.status, res.text.slice(0, 400)).toBeLessThan(300);
    if (want.next === 'gone') m.objs.delete(objName);
    else {
      const md = res.body.metadata;
      const prev = m.objs.get(objName);
      const rv = BigInt(md.resourceVersion);
      if (want.next.changed) {
        expect(rv > m.lastRV, `resourceVersion ${rv} after ${m.lastRV}`).toBe(true);
        m.lastRV = rv;
      } else expect(md.resourceVersion, 'a no-op write keeps the resourceVersion').toBe(prev?.rv);
      const { changed: _c, deleting, ...rest } = want.next;
      m.objs.set(objName, { ...rest, deleting: deleting ?? prev?.deleting ?? false, uid: md.uid, rv: md.resourceVersion });
    }
  }
  await checkModel(m, r, 'reject' in want);
}

const fm = (manager: string) => `fieldManager=${manager}`;
const body = (n: string, l: Rec, d: Rec, finalizers: string[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: l, ...(finalizers.length ? { finalizers } : {}), ...extra }, data: d,
});

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: string, readonly l: Rec, readonly d: Rec, readonly fin: boolean, readonly mgr: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const prev = m.objs.get(this.n);
    const fins = this.fin ? [FINALIZER] : [];
    const want: Expect = prev ? { reject: [409, 'AlreadyExists'] } : { next: nextByUpdate(undefined, this.l, this.d, fins, this.mgr) };
    await perform(m, r, this.n, want, () => r.c.post(`${r.path}?${fm(this.mgr)}`, body(this.n, this.l, this.d, fins)));
  }
  toString = () => `create ${this.n} labels=${JSON.stringify(this.l)} data=${JSON.stringify(this.d)} finalizer=${this.fin} by ${this.mgr}`;
}

class Put implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: string, readonly l: Rec, readonly d: Rec, readonly rvMode: 'current' | 'stale' | 'none', readonly mgr: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const prev = m.objs.get(this.n);
    // ConfigMaps do not allow create on update: a PUT of a missing one is 404 (AllowCreateOnUpdate false).
    const want: Expect = !prev ? { reject: [404, 'NotFound'] } : this.rvMode === 'stale' ? { reject: [409, 'Conflict'] } : { next: nextByUpdate(prev, this.l, this.d, prev.finalizers, this.mgr) };
    const rv = this.rvMode === 'current' ? prev?.rv : this.rvMode === 'stale' ? '1' : undefined;
    await perform(m, r, this.n, want, () => r.c.put(`${r.path}/${this.n}?${fm(this.mgr)}`, body(this.n, this.l, this.d, prev?.finalizers ?? [], rv ? { resourceVersion: rv } : {})));
  }
  toString = () => `put ${this.n} rv=${this.rvMode} labels=${JSON.stringify(this.l)} data=${JSON.stringify(this.d)} by ${this.mgr}`;
}

function mergeMap(base: Rec, patch: Record<string, string | null>): Rec {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) if (v === null) delete out[k];
  else out[k] = v;
  return out;
}

class MergePatch implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: string, readonly lp: Record<string, string | null>, readonly dp: Record<string, string | null>, readonly strategic: boolean, readonly mgr: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const prev = m.objs.get(this.n);
    const want: Expect = !prev ? { reject: [404, 'NotFound'] } : { next: nextByUpdate(prev, mergeMap(prev.labels, this.lp), mergeMap(prev.data, this.dp), prev.finalizers, this.mgr) };
    const type = this.strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json';
    await perform(m, r, this.n, want, () => r.c.request('PATCH', `${r.path}/${this.n}?${fm(this.mgr)}`, { metadata: { labels: this.lp }, data: this.dp }, { 'content-type': type }));
  }
  toString = () => `${this.strategic ? 'strategic' : 'merge'} patch ${this.n} labels=${JSON.stringify(this.lp)} data=${JSON.stringify(this.dp)} by ${this.mgr}`;
}

type JsonOp = { op: 'add' | 'replace' | 'remove' | 'test'; where: 'data' | 'labels'; key: string; value: string };
const pointer = (where: 'data' | 'labels', key?: string) =>
  (where === 'data' ? '/data' : '/metadata/labels') + (key === undefined ? '' : `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);

class JsonPatch implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: string, readonly ops: JsonOp[], readonly mgr: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const prev = m.objs.get(this.n);
    if (!prev) return perform(m, r, this.n, { reject: [404, 'NotFound'] }, () => this.send(r, []));
    // An empty map may be absent from the stored object: the patch first adds it whole.
    const maps = { data: { ...prev.data }, labels: { ...prev.labels } };
    const wire: object[] = [];
    for (const w of ['data', 'labels'] as const) if (Object.keys(maps[w]).length === 0) wire.push({ op: 'add', path: pointer(w), value: {} });
    let ok = true;
    for (const o of this.ops) {
      const map = maps[o.where];
      const has = Object.prototype.hasOwnProperty.call(map, o.key);
      // kube applies JSON patches with evanphx/json-patch v4: `replace` of a missing object key adds it.
      if (o.op === 'add' || o.op === 'replace') map[o.key] = o.value;
      else if (!has || (o.op === 'test' && map[o.key] !== o.value)) ok = false;
      else if (o.op === 'remove') delete map[o.key];
      wire.push({ op: o.op, path: pointer(o.where, o.key), ...(o.op === 'remove' ? {} : { value: o.value }) });
    }
    // A failed operation fails the whole patch: 422, as kube answers a JSON patch that cannot apply.
    const want: Expect = ok ? { next: nextByUpdate(prev, maps.labels, maps.data, prev.finalizers, this.mgr) } : { reject: [422, 'Invalid'] };
    await perform(m, r, this.n, want, () => this.send(r, wire));
  }
  send = (r: Real, wire: object[]) => r.c.request('PATCH', `${r.path}/${this.n}?${fm(this.mgr)}`, wire, { 'content-type': 'application/json-patch+json' });
  toString = () => `json patch ${this.n} ${JSON.stringify(this.ops)} by ${this.mgr}`;
}

class Apply implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: string, readonly l: Rec, readonly d: Rec, readonly force: boolean, readonly mgr: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const prev = m.objs.get(this.n);
    const next = nextByApply(prev, this.l, this.d, this.mgr, this.force);
    const want: Expect = next ? { next } : { reject: [409, 'Conflict'] };
    const cfg = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.n, ...(Object.keys(this.l).length ? { labels: this.l } : {}) }, ...(Object.keys(this.d).length ? { data: this.d } : {}) };
    await perform(m, r, this.n, want, () => r.c.request('PATCH', `${r.path}/${this.n}?${fm(this.mgr)}&force=${this.force}`, cfg, { 'content-type': 'application/apply-patch+yaml' }));
  }
  toString = () => `apply ${this.n} labels=${JSON.stringify(this.l)} data=${JSON.stringify(this.d)} force=${this.force} by ${this.mgr}`;
}

class Delete implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: string, readonly pre: 'none' | 'uid' | 'rv' | 'wrongUid' | 'staleRv') {}
  check = () => true;
  async run(m: Model, r: Real) {
    const prev = m.objs.get(this.n);
    const pre = !prev ? undefined
      : this.pre === 'uid' ? { uid: prev.uid } : this.pre === 'rv' ? { resourceVersion: prev.rv }
      : this.pre === 'wrongUid' ? { uid: '00000000-0000-0000-0000-000000000000' } : this.pre === 'staleRv' ? { resourceVersion: '1' } : undefined;
    const want: Expect = !prev ? { reject: [404, 'NotFound'] }
      : this.pre === 'wrongUid' || this.pre === 'staleRv' ? { reject: [409, 'Conflict'] }
      // A finalizer holds the object: deletionTimestamp is set once, a second delete changes nothing.
      : prev.finalizers.length ? { next: { ...prev, deleting: true, changed: !prev.deleting } }
      : { next: 'gone' };
    await perform(m, r, this.n, want, () => r.c.delete(`${r.path}/${this.n}`, pre ? { preconditions: pre } : undefined));
  }
  toString = () => `delete ${this.n} precondition=${this.pre}`;
}

class RemoveFinalizers implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const prev = m.objs.get(this.n);
    const want: Expect = !prev ? { reject: [404, 'NotFound'] }
      : prev.deleting ? { next: 'gone' }
      : { next: { ...nextByUpdate(prev, prev.labels, prev.data, [], 'editor-1'), deleting: false } };
    await perform(m, r, this.n, want, () => r.c.request('PATCH', `${r.path}/${this.n}?fieldManager=editor-1`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' }));
  }
  toString = () => `remove finalizers of ${this.n}`;
}

class List implements fc.AsyncCommand<Model, Real> {
  constructor(readonly sel: { text: string; matches: (l: Rec) => boolean }, readonly field: string | undefined) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const q = new URLSearchParams({ labelSelector: this.sel.text, ...(this.field ? { fieldSelector: `metadata.name=${this.field}` } : {}) });
    const res = await r.c.get(`${r.path}?${q}`);
    expectNo5xx(res);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const want = [...m.objs].filter(([n, e]) => this.sel.matches(e.labels) && (!this.field || n === this.field)).map(([n]) => n).sort();
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort()).toEqual(want);
  }
  toString = () => `list labelSelector=${JSON.stringify(this.sel.text)} name=${this.field ?? ''}`;
}

const jsonOp = fc.record({
  op: fc.constantFrom('add', 'replace', 'remove', 'test') as fc.Arbitrary<JsonOp['op']>,
  where: fc.constantFrom('data', 'labels') as fc.Arbitrary<JsonOp['where']>,
  key: fc.constant(''), value: fc.constant(''),
}).chain((o) => (o.where === 'data' ? fc.tuple(dataKey, dataValue) : fc.tuple(labelKey, labelValue)).map(([key, value]) => ({ ...o, key, value })));

export const configMapCommands = [
  fc.tuple(name, labels, data, fc.boolean(), managers).map(([n, l, d, f, g]) => new Create(n, l, d, f, g)),
  fc.tuple(name, labels, data, fc.constantFrom('current', 'stale', 'none') as fc.Arbitrary<'current' | 'stale' | 'none'>, managers).map(([n, l, d, v, g]) => new Put(n, l, d, v, g)),
  fc.tuple(name, mapPatch(labelKey, labelValue), mapPatch(dataKey, dataValue), fc.boolean(), managers).map(([n, l, d, s, g]) => new MergePatch(n, l, d, s, g)),
  fc.tuple(name, fc.array(jsonOp, { maxLength: 4 }), managers).map(([n, o, g]) => new JsonPatch(n, o, g)),
  fc.tuple(name, labels, data, fc.boolean(), fc.constantFrom('apply-a', 'apply-b')).map(([n, l, d, f, g]) => new Apply(n, l, d, f, g)),
  fc.tuple(name, fc.constantFrom('none', 'uid', 'rv', 'wrongUid', 'staleRv') as fc.Arbitrary<Delete['pre']>).map(([n, p]) => new Delete(n, p)),
  name.map((n) => new RemoveFinalizers(n)),
  fc.tuple(labelSelector, fc.option(name, { nil: undefined })).map(([s, f]) => new List(s, f)),
];
