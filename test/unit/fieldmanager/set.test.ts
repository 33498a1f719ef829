import { describe, expect, it } from 'vitest';
import { canonicalJSON, elementToString, parseElement, pathToString } from '../../../src/apiserver/fieldmanager/fieldpath.js';
import { FieldSet } from '../../../src/apiserver/fieldmanager/set.js';

// Shaped as kubectl shows a Deployment created by `kubectl create deployment` (kubectl-create's entry).
const DEPLOYMENT_FIELDS = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:spec': {
        'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } },
        'f:tolerations': {},
      },
    },
  },
};

describe('path elements', () => {
  it.each([
    ['f:spec', { kind: 'field', name: 'spec' }],
    ['k:{"containerPort":80,"protocol":"TCP"}', { kind: 'key', fields: { protocol: 'TCP', containerPort: 80 } }],
    ['v:"example.com/finalizer"', { kind: 'value', value: 'example.com/finalizer' }],
    ['i:3', { kind: 'index', index: 3 }],
  ] as const)('%s round-trips, key fields sorted as SMD writes them', (s, pe) => {
    expect(elementToString(pe)).toBe(s);
    expect(elementToString(parseElement(s))).toBe(s);
  });

  it('rejects unknown element types', () => {
    expect(() => parseElement('x:foo')).toThrow(/unknown path element/);
    expect(() => parseElement('i:a')).toThrow();
  });

  it('prints paths as conflict messages do', () => {
    expect(pathToString(['f:spec', 'f:replicas'])).toBe('.spec.replicas');
    expect(pathToString(['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:image'])).toBe('.spec.containers[name="c"].image');
    expect(pathToString(['f:metadata', 'f:finalizers', 'v:"a/b"'])).toBe('.metadata.finalizers[="a/b"]');
  });

  it('canonical JSON sorts nested keys', () => {
    expect(canonicalJSON({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

describe('FieldSet', () => {
  it('decodes and re-encodes FieldsV1 exactly, "." marking an element that is also a member', () => {
    const s = FieldSet.fromFieldsV1(DEPLOYMENT_FIELDS);
    expect(s.toFieldsV1()).toEqual(DEPLOYMENT_FIELDS);
    expect(JSON.stringify(s.toFieldsV1())).toBe(JSON.stringify(DEPLOYMENT_FIELDS));
    expect(s.has(['f:metadata', 'f:labels'])).toBe(true);
    expect(s.has(['f:metadata'])).toBe(false);
    expect(s.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}'])).toBe(true);
  });

  it('orders fields before keys, values and indexes', () => {
    const s = FieldSet.fromPaths([['i:2'], ['v:1'], ['k:{"a":1}'], ['f:z'], ['f:a'], ['i:10']]);
    expect(Object.keys(s.toFieldsV1())).toEqual(['f:a', 'f:z', 'k:{"a":1}', 'v:1', 'i:2', 'i:10']);
  });

  it('union, intersection and difference work per path', () => {
    const a = FieldSet.fromPaths([['f:a'], ['f:b', 'f:c'], ['f:b']]);
    const b = FieldSet.fromPaths([['f:b', 'f:c'], ['f:d']]);
    expect(a.union(b).toFieldsV1()).toEqual({ 'f:a': {}, 'f:b': { '.': {}, 'f:c': {} }, 'f:d': {} });
    expect(a.intersection(b).toFieldsV1()).toEqual({ 'f:b': { 'f:c': {} } });
    expect(a.difference(b).toFieldsV1()).toEqual({ 'f:a': {}, 'f:b': {} });
    expect(b.difference(a).paths()).toEqual([['f:d']]);
    expect(a.leaves().toFieldsV1()).toEqual({ 'f:a': {}, 'f:b': { 'f:c': {} } });
  });

  it('recursive difference drops everything under a removed member', () => {
    const a = FieldSet.fromPaths([['f:status'], ['f:status', 'f:x'], ['f:spec', 'f:y']]);
    expect(a.recursiveDifference(FieldSet.fromPaths([['f:status']])).toFieldsV1()).toEqual({ 'f:spec': { 'f:y': {} } });
  });

  it('an empty FieldsV1 is the empty set', () => {
    expect(FieldSet.fromFieldsV1({}).empty()).toBe(true);
    expect(() => FieldSet.fromFieldsV1({ 'q:x': {} })).toThrow();
  });
});
