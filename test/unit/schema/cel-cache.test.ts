// CEL rules are compiled once per frozen schema object (CRD validation, then serving the CRD):
// the cache must give the same answers as compiling afresh, and never hold a schema that may change.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { celValidatorFor, compileCelRules } from '../../../src/apiserver/schema/cel.js';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.js';

const schema = (rule: string): JSONSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule }] } },
});
const frozen = (s: JSONSchemaProps) => produce(s, () => {});
const BASE = 'spec.versions[0].schema.openAPIV3Schema';

describe('compiled CEL rules cache', () => {
  const cases = [
    { name: 'a rule that compiles', rule: 'self.a <= self.b', errors: 0 },
    { name: 'a rule that does not compile', rule: 'self.c == 1', errors: 1 },
    { name: 'a transition rule', rule: 'self.a >= oldSelf.a', errors: 0 },
  ];
  for (const tc of cases) {
    it(`${tc.name}: the same errors and verdicts as compiling afresh`, () => {
      const s = frozen(schema(tc.rule));
      const fresh = compileCelRules(structuredClone(s), { basePath: BASE });
      const cached = compileCelRules(s, { basePath: BASE });
      expect(compileCelRules(s, { basePath: BASE })).toBe(cached);
      expect(cached.errors.map((e) => e.path)).toEqual(fresh.errors.map((e) => e.path));
      expect(cached.errors).toHaveLength(tc.errors);
      // Errors are reported under the base path asked for, not one cached for another.
      expect(compileCelRules(s).errors.map((e) => e.path)).toEqual(fresh.errors.map((e) => e.path.slice(BASE.length + 1)));
      // Serving reuses the validator CRD validation compiled.
      expect(celValidatorFor(s)).toBe(cached.validator);
      const obj = { spec: { a: 2, b: 1 } };
      const old = { spec: { a: 3, b: 1 } };
      expect(celValidatorFor(s)?.validate(obj, old)).toEqual(fresh.validator?.validate(obj, old));
    });
  }

  it('compiles a schema that is not frozen every time', () => {
    const s = schema('self.a <= self.b');
    expect(compileCelRules(s)).not.toBe(compileCelRules(s));
    expect(celValidatorFor(s)).toBeDefined();
  });
});
