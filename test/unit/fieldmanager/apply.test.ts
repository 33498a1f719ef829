// Golden tests of server-side apply on field sets: each testdata/*.yaml names a resource, the
// live object and its managedFields, an apply (manager, configuration, force), and either the
// expected object and managedFields or the expected conflict message.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApplyConflictError, applyManagers } from '../../../src/apiserver/fieldmanager/apply.js';
import { decodeManagers, encodeManagers } from '../../../src/apiserver/fieldmanager/managers.js';
import { typeOfResource } from '../../../src/apiserver/fieldmanager/resource-schema.js';
import type { ManagedFieldsEntry } from '../../../src/apiserver/object.js';
import { CRONTAB_SCHEMA } from './crontab-schema.js';

interface Case {
  resource: string;
  force?: boolean;
  live?: Record<string, unknown>;
  managedFields?: ManagedFieldsEntry[];
  apply: { manager: string; config: Record<string, unknown> };
  expected?: Record<string, unknown>;
  expectedManagedFields?: ManagedFieldsEntry[];
  conflict?: string;
}

const dir = join(import.meta.dirname, 'testdata');
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const NOW = '2026-11-28T00:00:00Z';

describe('server-side apply (golden)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(5));

  it.each(cases)('%s', (file) => {
    const c = parse(readFileSync(join(dir, file), 'utf8')) as Case;
    const type = c.resource === 'crontab' ? typeOfResource({ isCustomResource: true, openAPISchema: CRONTAB_SCHEMA }) : typeOfResource({ openAPIDefinition: c.resource });
    const run = () =>
      applyManagers({
        live: c.live,
        applied: c.apply.config,
        type,
        managers: decodeManagers((c.managedFields ?? []).map((e) => ({ time: '2026-01-01T00:00:00Z', ...e }))),
        entry: { manager: c.apply.manager, operation: 'Apply', apiVersion: 'v1', time: NOW, fieldsType: 'FieldsV1' },
        force: c.force ?? false,
      });
    if (c.conflict) {
      expect(run).toThrow(ApplyConflictError);
      expect(run).toThrow(c.conflict);
      return;
    }
    const result = run();
    expect(result.object).toEqual(c.expected);
    const got = encodeManagers(result.managers).map((e) => ({ manager: e.manager, operation: e.operation, fieldsV1: e.fieldsV1, ...(c.expectedManagedFields?.some((x) => x.time) ? { time: e.time } : {}) }));
    expect(got).toEqual(c.expectedManagedFields?.map((e) => ({ manager: e.manager, operation: e.operation, fieldsV1: e.fieldsV1, ...(e.time ? { time: e.time } : {}) })));
  });
});
