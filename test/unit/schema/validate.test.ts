import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../src/apiserver/schema/compile.js';
import { fieldErrorMessage } from '../../../src/apiserver/validation/field-errors.js';
import { loadCases } from './testdata.js';

// expected: the errors as kube-apiserver renders them ("<field>: <body>"), in its order.
describe('schema validation (testdata/validate)', () => {
  for (const tc of loadCases<string[] | null>('validate')) {
    it(`${tc.file}${tc.description ? `: ${tc.description}` : ''}`, () => {
      const errs = compileSchema(tc.schema).validate(tc.input);
      expect(errs.map(fieldErrorMessage)).toEqual(tc.expected ?? []);
    });
  }

  it('compiles a schema object once', () => {
    const schema = { type: 'object' };
    expect(compileSchema(schema)).toBe(compileSchema(schema));
  });

  it('does not modify the object it validates', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'integer', default: 1 } } } } };
    const obj = Object.freeze({ spec: Object.freeze({ extra: true }) });
    expect(compileSchema(schema).validate(obj)).toEqual([]);
  });
});
