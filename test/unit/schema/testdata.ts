// Loads the table-driven cases of one schema algorithm: every testdata/<algorithm>/*.yaml file
// holds `schema:` (an openAPIV3Schema), `input:` and `expected:`.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.js';

export interface SchemaCase<E> {
  file: string;
  description?: string;
  schema: JSONSchemaProps;
  input: unknown;
  expected: E;
}

export function loadCases<E>(algorithm: 'validate' | 'default' | 'prune'): SchemaCase<E>[] {
  const dir = fileURLToPath(new URL(`./testdata/${algorithm}/`, import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, ...(parse(readFileSync(`${dir}${file}`, 'utf8')) as Omit<SchemaCase<E>, 'file'>) }));
}
