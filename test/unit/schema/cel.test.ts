// Table tests for x-kubernetes-validations: each testdata/cel/<case>.yaml holds a `schema`
// (an openAPIV3Schema), an `object`, an optional `oldObject` (an update), and `expected`: the
// field errors as kube-apiserver renders them. When the schema does not compile, `expected`
// holds the compile errors instead, with paths relative to `spec.validation.openAPIV3Schema`.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileCelRules } from '../../../src/apiserver/schema/cel.js';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.js';
import { fieldErrorMessage } from '../../../src/apiserver/validation/field-errors.js';

interface Case {
  description?: string;
  schema: JSONSchemaProps;
  object?: unknown;
  oldObject?: unknown;
  expected: string[];
}

const dir = join(import.meta.dirname, 'testdata', 'cel');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('x-kubernetes-validations', () => {
  it('has test cases', () => expect(files.length).toBeGreaterThan(0));

  for (const file of files) {
    const c = parse(readFileSync(join(dir, file), 'utf8')) as Case;
    it(`${file.replace(/\.yaml$/, '')}${c.description ? `: ${c.description}` : ''}`, () => {
      const { validator, errors } = compileCelRules(c.schema, { basePath: 'spec.validation.openAPIV3Schema' });
      if (errors.length > 0) {
        expect(errors.map((e) => fieldErrorMessage(e.error))).toEqual(c.expected);
        return;
      }
      expect(validator).toBeDefined();
      const got = validator!.validate(c.object, c.oldObject).map(fieldErrorMessage);
      expect(got).toEqual(c.expected ?? []);
    });
  }
});

describe('compileCelRules', () => {
  it('returns no validator for a schema without rules', () => {
    expect(compileCelRules({ type: 'object', properties: { spec: { type: 'object' } } })).toEqual({ errors: [] });
  });

  it('lists the rules it accepts but skips', () => {
    const { validator, skipped } = compileCelRules({
      type: 'object',
      properties: { spec: { type: 'string', 'x-kubernetes-validations': [{ rule: 'isSemver(self)' }, { rule: 'self.reverse() == self' }] } },
    });
    expect(validator).toBeDefined();
    expect(skipped).toEqual([
      { path: 'properties[spec].x-kubernetes-validations[0].rule', rule: 'isSemver(self)', feature: 'isSemver()' },
      { path: 'properties[spec].x-kubernetes-validations[1].rule', rule: 'self.reverse() == self', feature: 'reverse()' },
    ]);
  });

  it('reports paths relative to the schema without a basePath', () => {
    const { errors } = compileCelRules({ type: 'object', properties: { spec: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self.x' }] } } });
    expect(errors.map((e) => [e.path, e.message.split('\n')[0]])).toEqual([
      ['properties[spec].x-kubernetes-validations[0].rule', "compilation failed: ERROR: <input>:1:5: type 'int' does not support field selection"],
    ]);
  });

  it('stops a runaway rule with kube’s cost-limit error', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [
            { rule: 'self.items.all(a, self.items.all(b, self.items.all(c, a + b + c >= 0)))' },
            { rule: 'false', message: 'never reached' },
          ],
          properties: { items: { type: 'array', items: { type: 'integer' } } },
        },
      },
    };
    const { validator } = compileCelRules(schema);
    const items = Array.from({ length: 200 }, (_, i) => i);
    expect(validator!.validate({ spec: { items } }).map(fieldErrorMessage)).toEqual([
      "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.items.all(a, self.items.all(b, self.items.all(c, a + b + c >= 0)))",
    ]);
  });
});
