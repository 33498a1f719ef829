import { describe, expect, it } from 'vitest';
import { decodeManagers, encodeManagers, updateManagers } from '../../../src/apiserver/fieldmanager/managers.js';
import { typeOfResource } from '../../../src/apiserver/fieldmanager/resource-schema.js';
import { compare, toFieldSet, undeclaredFields } from '../../../src/apiserver/fieldmanager/typed.js';
import { CRONTAB_SCHEMA } from './crontab-schema.js';
import type { ManagedFieldsEntry } from '../../../src/apiserver/object.js';

const pod = typeOfResource({ openAPIDefinition: 'io.k8s.api.core.v1.Pod' });
const configMap = typeOfResource({ openAPIDefinition: 'io.k8s.api.core.v1.ConfigMap' });
const deployment = typeOfResource({ openAPIDefinition: 'io.k8s.api.apps.v1.Deployment' });
const crontab = typeOfResource({ isCustomResource: true, openAPISchema: CRONTAB_SCHEMA });

describe('toFieldSet', () => {
  it('records the fields of an applied ConfigMap as the Server-Side Apply docs show them', () => {
    const set = toFieldSet({ metadata: { labels: { 'test-label': 'test' } }, data: { key: 'some value' } }, configMap);
    expect(set.toFieldsV1()).toEqual({ 'f:metadata': { 'f:labels': { 'f:test-label': {} } }, 'f:data': { 'f:key': {} } });
  });

  it('keys built-in list items by their map keys, set items by value, and keeps atomic lists whole', () => {
    const set = toFieldSet(
      {
        metadata: { finalizers: ['example.com/f'], ownerReferences: [{ uid: 'u1', name: 'o' }] },
        spec: { containers: [{ name: 'c', image: 'i', args: ['a', 'b'], ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'E', value: 'v' }] }] },
      },
      pod,
    );
    expect(set.toFieldsV1()).toEqual({
      'f:metadata': {
        'f:finalizers': { 'v:"example.com/f"': {} },
        // OwnerReference is x-kubernetes-map-type atomic: the item is a leaf.
        'f:ownerReferences': { 'k:{"uid":"u1"}': {} },
      },
      'f:spec': {
        'f:containers': {
          'k:{"name":"c"}': {
            '.': {},
            'f:args': {},
            'f:env': { 'k:{"name":"E"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
      },
    });
  });

  it('reads a custom resource list and map types from its structural schema', () => {
    const set = toFieldSet(
      {
        spec: {
          cronSpec: '* * * * *',
          ports: [{ port: 80, protocol: 'TCP', name: 'http' }],
          tags: ['a'],
          args: ['x'],
          merged: [{ name: 'n' }],
          selector: { app: 'x' },
          extra: { anything: { deep: 1 }, list: [1] },
        },
      },
      crontab,
    );
    expect(set.toFieldsV1()).toEqual({
      'f:spec': {
        'f:args': {},
        'f:cronSpec': {},
        'f:extra': { 'f:anything': { '.': {}, 'f:deep': {} }, 'f:list': {} },
        'f:merged': {},
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} } },
        'f:selector': {},
        'f:tags': { 'v:"a"': {} },
      },
    });
  });
});

describe('undeclaredFields', () => {
  it('names fields a built-in schema does not declare, but not keys of maps or preserved fields', () => {
    expect(undeclaredFields({ metadata: { labels: { any: 'x' } }, data: { k: 'v' }, datta: {} }, configMap)).toEqual([['f:datta']]);
    expect(undeclaredFields({ spec: { containers: [{ name: 'c', imag: 'x' }] } }, pod)).toEqual([['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:imag']]);
    expect(undeclaredFields({ spec: { extra: { anything: 1 }, bogus: 1 } }, crontab)).toEqual([['f:spec', 'f:bogus']]);
  });

  it('lets an embedded resource carry apiVersion, kind and metadata', () => {
    const t = typeOfResource({ isCustomResource: true, openAPISchema: { type: 'object', properties: { spec: { type: 'object', properties: { inner: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { data: { type: 'string' } } } } } } } });
    expect(undeclaredFields({ spec: { inner: { apiVersion: 'v1', kind: 'X', metadata: { name: 'n' }, data: 'd', nope: 1 } } }, t)).toEqual([['f:spec', 'f:inner', 'f:nope']]);
  });
});

describe('compare', () => {
  it('reports added, removed and modified leaves, and nodes that appeared or went away', () => {
    const c = compare(
      { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } },
      { spec: { containers: [{ name: 'a', image: 'z' }, { name: 'c', image: 'y' }] } },
      pod,
    );
    expect(c.modified.toFieldsV1()).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:image': {} } } } });
    expect(c.added.toFieldsV1()).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } });
    expect(c.removed.toFieldsV1()).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"b"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } });
  });
});

const at = (manager: string, time: string): ManagedFieldsEntry => ({ manager, operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1' });

describe('updateManagers (Update operations)', () => {
  it('keeps the stored encoding of a manager the write leaves alone, and re-encodes the ones it changes', () => {
    const live = { metadata: { labels: { a: 'b' } }, data: { k: 'v', other: 'o' } };
    const stored = Object.freeze(
      encodeManagers(updateManagers({ live: undefined, updated: live, type: configMap, managers: [], entry: at('creator', 't1') })).map((e) => Object.freeze({ ...e, fieldsV1: Object.freeze(e.fieldsV1) })),
    );
    const labeller = encodeManagers(updateManagers({ live, updated: { ...live, metadata: { labels: { a: 'b', c: 'd' } } }, type: configMap, managers: decodeManagers(stored, { stored: true }), entry: at('labeller', 't2') }));
    expect(labeller.find((e) => e.manager === 'creator')!.fieldsV1).toBe(stored[0]!.fieldsV1);
    const dataWriter = encodeManagers(updateManagers({ live, updated: { ...live, data: { k: 'changed', other: 'o' } }, type: configMap, managers: decodeManagers(stored, { stored: true }), entry: at('writer', 't2') }));
    const creator = dataWriter.find((e) => e.manager === 'creator')!;
    expect(creator.fieldsV1).not.toBe(stored[0]!.fieldsV1);
    expect(creator.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:other': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } });
  });

  it('on create, a ConfigMap data map is a new member ("."), metadata (never absent in Go) is not', () => {
    const out = encodeManagers(updateManagers({ live: undefined, updated: { metadata: { labels: { a: 'b' } }, data: { k: 'v' } }, type: configMap, managers: [], entry: at('kubectl-create', 't1') }));
    expect(out).toEqual([{ ...at('kubectl-create', 't1'), fieldsV1: { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } } }]);
  });

  it('on create, a Pod spec (a Go struct) has no "." while its keyed containers do', () => {
    const out = encodeManagers(updateManagers({ live: undefined, updated: { metadata: {}, spec: { containers: [{ name: 'c', image: 'i', resources: {} }], restartPolicy: 'Always' } }, type: pod, managers: [], entry: at('kubectl-run', 't1') }));
    expect(out[0]!.fieldsV1).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } }, 'f:restartPolicy': {} } });
  });

  it('moves a changed field to the writer, keeps the rest with its owner, and drops owners left with nothing', () => {
    const live = { metadata: {}, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'old' }] } } } };
    const first = updateManagers({ live: undefined, updated: live, type: deployment, managers: [], entry: { ...at('creator', 't1'), apiVersion: 'apps/v1' } });
    const updated = { metadata: {}, spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'old' }] } } } };
    const second = encodeManagers(updateManagers({ live, updated, type: deployment, managers: first, entry: { ...at('scaler', 't2'), apiVersion: 'apps/v1' } }));
    expect(second.map((e) => [e.manager, e.fieldsV1])).toEqual([
      // template is required (never absent in Go), so no "." on it. Its spec is a pointer-less
      // struct too, but our definitions carry no `default: {}` for it: kube shows no "." on
      // spec and containers there, we do.
      ['creator', { 'f:spec': { 'f:template': { 'f:spec': { '.': {}, 'f:containers': { '.': {}, 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } }],
      ['scaler', { 'f:spec': { 'f:replicas': {} } }],
    ]);
    // The creator sets replicas back: scaler loses its only field and its entry.
    const third = encodeManagers(updateManagers({ live: updated, updated: live, type: deployment, managers: decodeManagers(second), entry: { ...at('creator', 't3'), apiVersion: 'apps/v1' } }));
    expect(third.map((e) => [e.manager, e.time])).toEqual([['creator', 't3']]);
    expect(third[0]!.fieldsV1).toMatchObject({ 'f:spec': { 'f:replicas': {} } });
  });

  it('removes fields from every owner when the writer deletes them', () => {
    const managers = decodeManagers([{ ...at('a', 't1'), fieldsV1: { 'f:data': { '.': {}, 'f:k': {}, 'f:j': {} } } }]);
    const out = encodeManagers(updateManagers({ live: { metadata: {}, data: { k: '1', j: '2' } }, updated: { metadata: {}, data: { j: '2' } }, type: configMap, managers, entry: at('b', 't2') }));
    expect(out).toEqual([{ ...at('a', 't1'), fieldsV1: { 'f:data': { '.': {}, 'f:j': {} } } }]);
  });

  it('a write that changes nothing keeps the managers and their times', () => {
    const managers = decodeManagers([{ ...at('a', 't1'), fieldsV1: { 'f:data': { '.': {}, 'f:k': {} } } }]);
    const obj = { metadata: {}, data: { k: '1' } };
    expect(encodeManagers(updateManagers({ live: obj, updated: obj, type: configMap, managers, entry: at('a', 't2') }))[0]!.time).toBe('t1');
  });

  it('keeps one entry per manager, operation, subresource and (for Update) apiVersion, sorted by time', () => {
    const managers = decodeManagers([
      { ...at('a', 't1'), subresource: 'status', fieldsV1: { 'f:status': { 'f:x': {} } } },
      { ...at('a', 't0'), fieldsV1: { 'f:data': { 'f:j': {} } } },
    ]);
    const out = encodeManagers(updateManagers({ live: { metadata: {}, data: { j: '1' } }, updated: { metadata: {}, data: { j: '1', k: '2' } }, type: configMap, managers, entry: at('a', 't2') }));
    expect(out.map((e) => [e.subresource, e.time, e.fieldsV1])).toEqual([
      ['status', 't1', { 'f:status': { 'f:x': {} } }],
      [undefined, 't2', { 'f:data': { 'f:j': {}, 'f:k': {} } }],
    ]);
  });
});
