import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../../src/apiserver/errors.js';
import { BAD_MERGE_PATCH_MESSAGE, applyMergePatch } from '../../../src/apiserver/patch/merge-patch.js';

const cases: { name: string; doc: unknown; patch: unknown; want: unknown }[] = [
  {
    name: 'objects merge recursively',
    doc: { metadata: { name: 'a', labels: { x: '1' } }, data: { k: 'v' } },
    patch: { metadata: { labels: { y: '2' } } },
    want: { metadata: { name: 'a', labels: { x: '1', y: '2' } }, data: { k: 'v' } },
  },
  {
    name: 'null deletes, also a missing key',
    doc: { metadata: { labels: { x: '1', y: '2' } } },
    patch: { metadata: { labels: { x: null, nope: null } } },
    want: { metadata: { labels: { y: '2' } } },
  },
  {
    name: 'lists are replaced, never merged',
    doc: { spec: { containers: [{ name: 'a', image: 'a' }, { name: 'b' }] } },
    patch: { spec: { containers: [{ name: 'a', image: 'new' }] } },
    want: { spec: { containers: [{ name: 'a', image: 'new' }] } },
  },
  {
    name: 'scalars replace objects and objects replace scalars',
    doc: { a: { b: 1 }, c: 'x' },
    patch: { a: 'flat', c: { d: 1 } },
    want: { a: 'flat', c: { d: 1 } },
  },
  {
    name: 'a new object loses its null members, recursively and inside lists',
    doc: { spec: {} },
    patch: { spec: { template: { a: 1, b: null, c: { d: null } }, list: [{ e: null, f: 1 }, null] } },
    want: { spec: { template: { a: 1, c: {} }, list: [{ f: 1 }, null] } },
  },
  {
    name: 'an object merged into a null member is pruned too',
    doc: { spec: { selector: null } },
    patch: { spec: { selector: { app: 'x', tier: null } } },
    want: { spec: { selector: { app: 'x' } } },
  },
  {
    name: 'an empty patch changes nothing',
    doc: { a: 1 },
    patch: {},
    want: { a: 1 },
  },
  {
    name: 'an array patch replaces the whole document (nulls pruned inside objects)',
    doc: { a: 1 },
    patch: [{ b: null, c: 1 }],
    want: [{ c: 1 }],
  },
];

describe('applyMergePatch', () => {
  it.each(cases)('$name', (c) => {
    const doc = deepFreeze(structuredClone(c.doc));
    const patch = deepFreeze(structuredClone(c.patch));
    expect(applyMergePatch(doc, patch)).toEqual(c.want);
    expect(doc).toEqual(c.doc);
    expect(patch).toEqual(c.patch);
  });

  it.each([null, 'text', 3, true])('a %j patch is 400 "Invalid JSON Patch" (evanphx ErrBadJSONPatch)', (patch) => {
    try {
      applyMergePatch({ a: 1 }, patch);
      expect.unreachable();
    } catch (e) {
      if (!isStatusError(e)) throw e;
      expect(e.status).toMatchObject({ code: 400, reason: 'BadRequest', message: BAD_MERGE_PATCH_MESSAGE });
    }
  });

  it('the result shares nothing with the patch', () => {
    const patch = { spec: { list: ['a'] } };
    const out = applyMergePatch({}, patch) as { spec: { list: string[] } };
    out.spec.list.push('b');
    expect(patch.spec.list).toEqual(['a']);
  });
});

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}
