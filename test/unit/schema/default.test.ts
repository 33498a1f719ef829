import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../src/apiserver/schema/compile.js';
import { loadCases } from './testdata.js';

// expected: the object after defaulting.
describe('schema defaulting (testdata/default)', () => {
  for (const tc of loadCases<unknown>('default')) {
    it(`${tc.file}${tc.description ? `: ${tc.description}` : ''}`, () => {
      const obj = structuredClone(tc.input);
      compileSchema(tc.schema).applyDefaults(obj);
      expect(obj).toEqual(tc.expected);
    });

    it(`${tc.file}: same result through an immer draft`, () => {
      const frozen = produce(structuredClone(tc.input), () => {});
      const next = produce(frozen, (draft) => {
        compileSchema(tc.schema).applyDefaults(draft);
      });
      expect(next).toEqual(tc.expected);
    });
  }

  it('copies default values, so objects never share them', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', default: { tags: ['a'] } } } };
    const a: Record<string, any> = {};
    const b: Record<string, any> = {};
    compileSchema(schema).applyDefaults(a);
    compileSchema(schema).applyDefaults(b);
    a.spec.tags.push('b');
    expect(b.spec.tags).toEqual(['a']);
    expect(schema.properties.spec.default).toEqual({ tags: ['a'] });
  });
});
