// Table test of CRD schema validation (src/apiserver/schema/structural.ts): each file in
// testdata/structural holds a schema and the errors kube-apiserver reports for it, rendered as
// `field: Type: value: detail`. Run with UPDATE_GOLDEN=1 to rewrite `expected` from the
// current output (then read the diff: the files are the specification).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateStructuralSchema } from '../../../src/apiserver/schema/structural.js';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.js';
import { fieldErrorMessage } from '../../../src/apiserver/validation/field-errors.js';

interface Case {
  schema: JSONSchemaProps;
  expected: string[];
  /** The schema's field path; the shared (single-version) form by default. */
  path?: string;
  statusSubresource?: boolean;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'structural');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('validateStructuralSchema', () => {
  it('has cases', () => expect(files.length).toBeGreaterThanOrEqual(15));

  it.each(files)('%s', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const c = parse(text) as Case;
    const errs = validateStructuralSchema(c.schema, c.path ?? 'spec.validation.openAPIV3Schema', { statusSubresource: c.statusSubresource ?? false });
    const actual = errs.map(fieldErrorMessage);
    if (process.env.UPDATE_GOLDEN) {
      const head = text.slice(0, text.indexOf('\nexpected:'));
      writeFileSync(join(dir, file), `${head}\n${stringify({ expected: actual }, { lineWidth: 0 })}`);
      return;
    }
    expect(actual).toEqual(c.expected ?? []);
  });

  it('never throws on input of the wrong shape', () => {
    for (const bad of [null, 1, 'x', [], { properties: 'x' }, { items: [1] }, { allOf: 'x', anyOf: [null] }, { 'x-kubernetes-validations': 'x' }]) {
      expect(() => validateStructuralSchema(bad as unknown as JSONSchemaProps, 'p')).not.toThrow();
    }
  });
});
