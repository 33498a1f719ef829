import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../../src/apiserver/errors.js';
import { MAX_JSON_PATCH_OPERATIONS, applyJSONPatch } from '../../../src/apiserver/patch/json-patch.js';
import { PATCH_REJECTED_MESSAGE } from '../../../src/apiserver/patch/patch-errors.js';

interface Case {
  name: string;
  doc?: unknown;
  patch: unknown;
  want?: unknown;
  /** For 422: the kubesim hint in details.causes[0].message. */
  rejected?: string;
  error?: { code: number; reason: string; message: string };
}

const base = {
  metadata: { name: 'p', labels: { app: 'web' }, annotations: { 'example.com/x': '1' } },
  spec: { replicas: 1, args: ['a', 'b', 'c'], nodeSelector: null },
};

const ok: Case[] = [
  {
    name: 'add a label',
    patch: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }],
    want: { ...base, metadata: { ...base.metadata, labels: { app: 'web', tier: 'front' } } },
  },
  {
    name: 'add replaces an existing member',
    patch: [{ op: 'add', path: '/spec/replicas', value: 3 }],
    want: { ...base, spec: { ...base.spec, replicas: 3 } },
  },
  {
    name: 'add inserts into a list, "-" appends',
    patch: [
      { op: 'add', path: '/spec/args/1', value: 'x' },
      { op: 'add', path: '/spec/args/-', value: 'z' },
    ],
    want: { ...base, spec: { ...base.spec, args: ['a', 'x', 'b', 'c', 'z'] } },
  },
  {
    name: 'negative indices count from the end (evanphx v4)',
    patch: [
      { op: 'remove', path: '/spec/args/-1' },
      { op: 'add', path: '/spec/args/-1', value: 'end' },
    ],
    want: { ...base, spec: { ...base.spec, args: ['a', 'b', 'end'] } },
  },
  {
    name: 'remove a member and a list item',
    patch: [
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'remove', path: '/spec/args/0' },
    ],
    want: { ...base, metadata: { ...base.metadata, labels: {} }, spec: { ...base.spec, args: ['b', 'c'] } },
  },
  {
    name: 'replace a member, escaped tokens (~1 is /)',
    patch: [{ op: 'replace', path: '/metadata/annotations/example.com~1x', value: '2' }],
    want: { ...base, metadata: { ...base.metadata, annotations: { 'example.com/x': '2' } } },
  },
  {
    name: 'replace of a missing key in an existing object adds it (evanphx v4, as kube)',
    patch: [{ op: 'replace', path: '/metadata/labels/new', value: 'v' }],
    want: { ...base, metadata: { ...base.metadata, labels: { app: 'web', new: 'v' } } },
  },
  {
    name: 'replace the whole document',
    patch: [{ op: 'replace', path: '', value: { kind: 'X' } }],
    want: { kind: 'X' },
  },
  {
    name: 'move and copy',
    patch: [
      { op: 'copy', from: '/metadata/labels', path: '/spec/selector' },
      { op: 'move', from: '/spec/args/0', path: '/spec/args/-' },
    ],
    want: { ...base, spec: { ...base.spec, args: ['b', 'c', 'a'], selector: { app: 'web' } } },
  },
  {
    name: 'test passes: equal value; a null member equals a null value',
    patch: [
      { op: 'test', path: '/metadata/labels', value: { app: 'web' } },
      { op: 'test', path: '/spec/nodeSelector', value: null },
      { op: 'replace', path: '/spec/replicas', value: 2 },
    ],
    want: { ...base, spec: { ...base.spec, replicas: 2 } },
  },
  { name: 'an empty patch changes nothing', patch: [], want: base },
  { name: 'a null body is a patch with no operations', patch: null, want: base },
];

const rejected: Case[] = [
  {
    name: 'test failure',
    patch: [{ op: 'test', path: '/spec/replicas', value: 5 }],
    rejected: 'testing value /spec/replicas failed: test failed',
  },
  {
    name: 'remove of a missing key',
    patch: [{ op: 'remove', path: '/metadata/labels/nope' }],
    rejected: "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value",
  },
  {
    name: 'remove under a missing parent',
    patch: [{ op: 'remove', path: '/spec/affinity/nodeAffinity' }],
    rejected: 'remove operation does not apply: doc is missing path: "/spec/affinity/nodeAffinity": missing value',
  },
  {
    name: 'replace of a missing list index',
    patch: [{ op: 'replace', path: '/spec/args/7', value: 'x' }],
    rejected: 'replace operation does not apply: doc is missing key: /spec/args/7: missing value',
  },
  {
    name: 'add under a missing parent',
    patch: [{ op: 'add', path: '/spec/template/metadata', value: {} }],
    rejected: 'add operation does not apply: doc is missing path: "/spec/template/metadata": missing value',
  },
  {
    name: 'add past the end of a list',
    patch: [{ op: 'add', path: '/spec/args/9', value: 'x' }],
    rejected: "error in add for path: '/spec/args/9': Unable to access invalid index: 9: invalid index referenced",
  },
  {
    name: 'add at the root path',
    patch: [{ op: 'add', path: '', value: {} }],
    rejected: 'add operation does not apply: doc is missing path: "": missing value',
  },
  {
    name: 'an unknown op',
    patch: [{ op: 'merge', path: '/spec', value: {} }],
    rejected: 'Unexpected kind: merge',
  },
  {
    name: 'an operation without op',
    patch: [{ path: '/spec' }],
    rejected: 'Unexpected kind: unknown',
  },
  {
    name: 'an operation without path',
    patch: [{ op: 'add', value: 1 }],
    rejected: 'add operation failed to decode path: missing value',
  },
  {
    name: 'move from a missing key',
    patch: [{ op: 'move', from: '/metadata/labels/nope', path: '/metadata/labels/x' }],
    rejected: "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value",
  },
  {
    name: 'a later failure discards earlier operations',
    patch: [
      { op: 'replace', path: '/spec/replicas', value: 9 },
      { op: 'test', path: '/metadata/name', value: 'other' },
    ],
    rejected: 'testing value /metadata/name failed: test failed',
  },
];

const malformed: Case[] = [
  {
    name: 'a body that is an object',
    patch: { op: 'add', path: '/a', value: 1 },
    error: { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
  },
  {
    name: 'an operation that is not an object',
    patch: [1],
    error: { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal number into Go value of type jsonpatch.Operation' },
  },
  {
    name: 'too many operations',
    patch: Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/spec/replicas', value: 1 })),
    error: {
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    },
  },
];

function run(c: Case): unknown {
  return applyJSONPatch(deepFreeze(structuredClone(c.doc ?? base)), c.patch);
}

function caught(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected an error');
}

describe('applyJSONPatch', () => {
  it.each(ok)('$name', (c) => {
    expect(run(c)).toEqual(c.want);
  });

  it.each(rejected)('422: $name', (c) => {
    const s = caught(() => run(c));
    expect(s).toMatchObject({ code: 422, reason: 'Invalid', message: PATCH_REJECTED_MESSAGE });
    expect(s.details?.causes?.[0]).toEqual({ field: 'patch', message: c.rejected });
  });

  it.each(malformed)('$error.code: $name', (c) => {
    expect(caught(() => run(c))).toMatchObject(c.error ?? {});
  });

  it('never modifies the (frozen) document and shares nothing with the patch', () => {
    const doc = deepFreeze(structuredClone(base));
    const value = { a: ['x'] };
    const out = applyJSONPatch(doc, [{ op: 'add', path: '/spec/extra', value }]) as { spec: { extra: { a: string[] } } };
    expect(doc).toEqual(base);
    out.spec.extra.a.push('y');
    expect(value).toEqual({ a: ['x'] });
  });

  it('refuses to touch __proto__ (422, not a crash)', () => {
    const s = caught(() => applyJSONPatch({}, [{ op: 'add', path: '/__proto__/polluted', value: 1 }]));
    expect(s.code).toBe(422);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}
