// holdsAtOrBelow lets the per-object walks (embedded resources, list types, pruning's
// comparison) skip subtrees; it must find a fact wherever those walks would look.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../src/apiserver/schema/compile.js';
import { hasListType, holdsAtOrBelow, isEmbeddedResource } from '../../../src/apiserver/schema/schema-facts.js';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.js';

const embedded: JSONSchemaProps = { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true };
const mapList: JSONSchemaProps = { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } };
const obj = (properties: Record<string, JSONSchemaProps>): JSONSchemaProps => ({ type: 'object', properties });

describe('holdsAtOrBelow', () => {
  const cases: { name: string; schema: JSONSchemaProps; embedded: boolean; listType: boolean }[] = [
    { name: 'nothing', schema: obj({ a: { type: 'string' }, b: { type: 'array', items: { type: 'string' } } }), embedded: false, listType: false },
    { name: 'at the node itself', schema: mapList, embedded: false, listType: true },
    { name: 'under properties', schema: obj({ spec: obj({ template: embedded }) }), embedded: true, listType: false },
    { name: 'under additionalProperties', schema: { type: 'object', additionalProperties: obj({ x: mapList }) }, embedded: false, listType: true },
    { name: 'under items', schema: { type: 'array', items: obj({ t: embedded }) }, embedded: true, listType: false },
    { name: 'an atomic list is no list type', schema: obj({ l: { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'string' } } }), embedded: false, listType: false },
    { name: 'a set', schema: obj({ l: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } }), embedded: false, listType: true },
  ];
  for (const tc of cases) {
    for (const frozen of [false, true]) {
      it(`${tc.name}${frozen ? ' (frozen, cached)' : ''}`, () => {
        const s = frozen ? produce(tc.schema, () => {}) : tc.schema;
        for (let i = 0; i < 2; i++) {
          expect(holdsAtOrBelow(s, isEmbeddedResource)).toBe(tc.embedded);
          expect(holdsAtOrBelow(s, hasListType)).toBe(tc.listType);
        }
      });
    }
  }

  it('answers anew for an unfrozen schema that changed', () => {
    const s = obj({ spec: obj({}) });
    expect(holdsAtOrBelow(s, isEmbeddedResource)).toBe(false);
    s.properties!.spec!.properties = { t: embedded };
    expect(holdsAtOrBelow(s, isEmbeddedResource)).toBe(true);
  });
});

describe('pruneCopy', () => {
  const cases: { name: string; schema: JSONSchemaProps; input: Record<string, unknown>; changed: boolean; unknown: string[] }[] = [
    { name: 'nothing to prune', schema: obj({ spec: obj({ a: { type: 'string' } }) }), input: { spec: { a: 'x' } }, changed: false, unknown: [] },
    { name: 'an unknown field', schema: obj({ spec: obj({ a: { type: 'string' } }) }), input: { spec: { a: 'x', b: 1 } }, changed: true, unknown: ['spec.b'] },
    // objectmeta.Coerce drops an embedded resource's empty metadata fields without reporting them.
    { name: 'embedded metadata re-encoded silently', schema: obj({ t: embedded }), input: { t: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: {} } } }, changed: true, unknown: [] },
    { name: 'embedded metadata already clean', schema: obj({ t: embedded }), input: { t: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } }, changed: false, unknown: [] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const input = produce(tc.input, () => {});
      const { copy, unknown, changed } = compileSchema(produce(tc.schema, () => {})).pruneCopy(input);
      expect({ unknown, changed }).toEqual({ unknown: tc.unknown, changed: tc.changed });
      const inPlace = structuredClone(tc.input);
      compileSchema(tc.schema).prune(inPlace);
      expect(copy).toEqual(inPlace);
    });
  }
});
