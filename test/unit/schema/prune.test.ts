import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../src/apiserver/schema/compile.js';
import { loadCases } from './testdata.js';

// expected.object: the object after pruning; expected.pruned: the paths kube-apiserver reports
// as `unknown field "<path>"` (root metadata first, then the schema's, then embedded metadata).
describe('schema pruning (testdata/prune)', () => {
  for (const tc of loadCases<{ object: unknown; pruned: string[] }>('prune')) {
    it(`${tc.file}${tc.description ? `: ${tc.description}` : ''}`, () => {
      const obj = structuredClone(tc.input);
      const pruned = compileSchema(tc.schema).prune(obj);
      expect(obj).toEqual(tc.expected.object);
      expect(pruned).toEqual(tc.expected.pruned ?? []);
    });

    it(`${tc.file}: same result through an immer draft`, () => {
      let pruned: string[] = [];
      const frozen: unknown = produce(structuredClone(tc.input), () => {});
      const next = produce(frozen, (draft: unknown) => {
        pruned = compileSchema(tc.schema).prune(draft);
      });
      expect(next).toEqual(tc.expected.object);
      expect(pruned).toEqual(tc.expected.pruned ?? []);
    });
  }
});
