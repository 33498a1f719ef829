// The custom resource strategy prunes and defaults a plain copy and writes back only what
// changed (schema/plain-copy.ts), instead of walking an immer draft: the objects, paths and key
// order must be exactly what the walk on the draft gives, and an object that needs nothing must
// come back as the same (frozen) object.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import type { CRD } from '../../../../src/apiserver/registry/customresource/crd.js';
import { customResourceTypes } from '../../../../src/apiserver/registry/customresource/resource-type.js';
import { compileSchema } from '../../../../src/apiserver/schema/compile.js';
import { clonePlain, writeChanges } from '../../../../src/apiserver/schema/plain-copy.js';
import type { JSONSchemaProps } from '../../../../src/apiserver/schema/types.js';
import { loadCases } from '../../schema/testdata.js';

function typeFor(schema: JSONSchemaProps) {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com', uid: 'u', generation: 1 },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
  } as CRD;
  return customResourceTypes(crd)[0]!;
}

const frozenCopy = <T>(v: T): T => produce(structuredClone(v), () => {});

describe('pruning a custom resource on a plain copy (testdata/prune)', () => {
  for (const tc of loadCases<{ object: unknown; pruned: string[] }>('prune')) {
    it(tc.file, () => {
      let viaDraft: string[] = [];
      const input = frozenCopy(tc.input) as KubeObject;
      const expected = produce(input, (d: unknown) => void (viaDraft = compileSchema(tc.schema).prune(d)));
      const { object, unknown } = typeFor(tc.schema).pruneUnknownFields!(input);
      expect(JSON.stringify(object)).toBe(JSON.stringify(expected));
      expect(unknown).toEqual(viaDraft);
      expect(object === input).toBe(expected === input);
      expect(Object.isFrozen(object)).toBe(true);
    });
  }
});

describe('defaulting a custom resource on a plain copy (testdata/default)', () => {
  for (const tc of loadCases<unknown>('default')) {
    for (const [what, value] of [['input', tc.input], ['expected', tc.expected]] as const) {
      it(`${tc.file}: needsDefaults(${what}) says whether applyDefaults changes it`, () => {
        const copy = structuredClone(value);
        compileSchema(tc.schema).applyDefaults(copy);
        expect(compileSchema(tc.schema).needsDefaults(value)).toBe(JSON.stringify(copy) !== JSON.stringify(value));
      });
    }

    it(`${tc.file}: the strategy's defaults on a draft, and reads, match the walk on the draft`, () => {
      const input = frozenCopy(tc.input) as KubeObject;
      const rt = typeFor(tc.schema);
      const expected = produce(input, (d: unknown) => compileSchema(tc.schema).applyDefaults(d));
      const viaStrategy = produce(input, (d: KubeObject) => rt.strategy.defaults!(d));
      expect(JSON.stringify(viaStrategy)).toBe(JSON.stringify(expected));
      expect(viaStrategy === input).toBe(expected === input);
      // Reading back applies the same defaults, and sets the served apiVersion.
      const read = rt.conversion!.fromStorage({ ...input, apiVersion: 'example.com/v1' });
      expect(JSON.stringify(read)).toBe(JSON.stringify({ ...(expected as object), apiVersion: 'example.com/v1' }));
    });
  }

  it('returns a stored object that needs nothing as it is', () => {
    const rt = typeFor({ type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string', default: 'x' } } } } });
    const stored = frozenCopy({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { a: 'y' } }) as KubeObject;
    expect(rt.conversion!.fromStorage(stored)).toBe(stored);
  });
});

describe('reading stored custom resources', () => {
  it('serves a stored object read again from what the first read made', () => {
    const rt = typeFor({ type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string', default: 'x' } } } } });
    const stored = frozenCopy({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} }) as KubeObject;
    const first = rt.conversion!.fromStorage(stored);
    expect(first.spec).toEqual({ a: 'x' });
    expect(rt.conversion!.fromStorage(stored)).toBe(first);
    // An object that is not frozen may still change: served anew.
    const loose = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} } as KubeObject;
    expect(rt.conversion!.fromStorage(loose).spec).toEqual({ a: 'x' });
  });
});

describe('clonePlain and writeChanges', () => {
  const cases: { name: string; before: Record<string, unknown>; after: Record<string, unknown> }[] = [
    { name: 'a changed value', before: { a: 1, b: { c: 2 } }, after: { a: 1, b: { c: 3 } } },
    { name: 'a removed key', before: { a: 1, b: 2 }, after: { a: 1 } },
    { name: 'a new key goes last', before: { a: 1, b: 2 }, after: { a: 1, b: 2, c: [1] } },
    { name: 'a nested key removed', before: { spec: { x: null, y: 1 } }, after: { spec: { y: 1 } } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const base = frozenCopy(tc.before);
      const next = produce(base, (d: Record<string, unknown>) => writeChanges(d, base, tc.after));
      expect(JSON.stringify(next)).toBe(JSON.stringify(tc.after));
      // What did not change is shared with the base.
      for (const k of Object.keys(tc.after)) if (JSON.stringify(base[k]) === JSON.stringify(tc.after[k])) expect(next[k]).toBe(base[k]);
    });
  }

  it('copies a "__proto__" key as a key, as JSON.parse made it', () => {
    const parsed = JSON.parse('{"spec":{"__proto__":{"polluted":true},"a":1}}') as Record<string, Record<string, unknown>>;
    const copy = clonePlain(parsed);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
    expect(Object.getPrototypeOf(copy.spec)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
