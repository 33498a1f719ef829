import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../../src/apiserver/errors.js';
import { PATCH_REJECTED_MESSAGE } from '../../../src/apiserver/patch/patch-errors.js';
import { NO_PATCH_META, patchMetaFromOpenAPI, type PatchMeta } from '../../../src/apiserver/patch/patch-meta.js';
import { applyStrategicMergePatch } from '../../../src/apiserver/patch/strategic-merge.js';
import { CONFIGMAP, CRD_PROPS, DEPLOYMENT, POD, schemas } from './openapi-fixture.js';

interface Case {
  name: string;
  kind?: string;
  doc: unknown;
  patch: unknown;
  want?: unknown;
  error?: { code: number; reason?: string; message: string | RegExp; cause?: string };
}

function metaFor(kind: string | undefined): PatchMeta {
  return kind === 'none' ? NO_PATCH_META : patchMetaFromOpenAPI(schemas, kind ?? POD);
}

const pod = (spec: unknown) => ({ spec });
const containers = (...c: unknown[]) => pod({ containers: c });
const finalizers = (...f: unknown[]) => ({ metadata: { name: 'p', finalizers: f } });

const maps: Case[] = [
  {
    name: 'merges labels: change, add, null deletes',
    doc: { metadata: { name: 'p', labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { a: 'x', b: null, c: '3' } } },
    want: { metadata: { name: 'p', labels: { a: 'x', c: '3' } } },
  },
  {
    name: 'null at the top level deletes the field',
    doc: { metadata: { name: 'p' }, spec: { nodeSelector: { a: 'b' } } },
    patch: { spec: null },
    want: { metadata: { name: 'p' } },
  },
  {
    name: 'null for a missing field changes nothing',
    doc: { metadata: { name: 'p', labels: { a: '1' } } },
    patch: { metadata: { labels: { zz: null } } },
    want: { metadata: { name: 'p', labels: { a: '1' } } },
  },
  {
    name: 'a new map loses its null members',
    doc: { metadata: { name: 'p' } },
    patch: { metadata: { labels: { a: '1', b: null } } },
    want: { metadata: { name: 'p', labels: { a: '1' } } },
  },
  {
    name: '$patch: replace on a map replaces it',
    doc: { metadata: { name: 'p', labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { $patch: 'replace', c: '3' } } },
    want: { metadata: { name: 'p', labels: { c: '3' } } },
  },
  {
    name: '$patch: delete on a map leaves it empty',
    doc: { metadata: { name: 'p', labels: { a: '1' } } },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    want: { metadata: { name: 'p', labels: {} } },
  },
  {
    name: '$patch: delete at the top level empties the object',
    doc: { metadata: { name: 'p' } },
    patch: { $patch: 'delete' },
    want: {},
  },
  {
    name: 'a $patch map with nothing to merge into is dropped (removeDirectives)',
    doc: { metadata: { name: 'p' } },
    patch: { metadata: { labels: { $patch: 'replace', a: '1' } } },
    want: { metadata: { name: 'p' } },
  },
  {
    name: 'a value of another type replaces the field',
    doc: pod({ nodeSelector: { a: 'b' } }),
    patch: pod({ nodeSelector: ['x'] }),
    want: pod({ nodeSelector: ['x'] }),
  },
  {
    name: '$patch: merge on a map is an unknown patch type (500)',
    doc: { metadata: { labels: { a: '1' } } },
    patch: { metadata: { labels: { $patch: 'merge' } } },
    error: { code: 500, message: 'unknown patch type: merge in map: map[$patch:merge]' },
  },
];

const listsOfMaps: Case[] = [
  {
    name: 'containers merge by name',
    doc: containers({ name: 'a', image: 'a1' }, { name: 'b', image: 'b1' }),
    patch: containers({ name: 'b', image: 'b2' }),
    want: containers({ name: 'a', image: 'a1' }, { name: 'b', image: 'b2' }),
  },
  {
    name: 'a new container goes first without $setElementOrder (kube order)',
    doc: containers({ name: 'a' }, { name: 'b' }),
    patch: containers({ name: 'c' }),
    want: containers({ name: 'c' }, { name: 'a' }, { name: 'b' }),
  },
  {
    name: '$setElementOrder places a new container',
    doc: containers({ name: 'a' }, { name: 'b' }),
    patch: pod({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], containers: [{ name: 'c' }] }),
    want: containers({ name: 'a' }, { name: 'b' }, { name: 'c' }),
  },
  {
    name: 'patched items keep the patch order, live items interleave (kube test)',
    doc: containers({ name: '1' }, { name: '2', image: 'b' }, { name: '3' }),
    patch: containers({ name: '3', image: 'c' }, { name: '1', image: 'a' }),
    want: containers({ name: '2', image: 'b' }, { name: '3', image: 'c' }, { name: '1', image: 'a' }),
  },
  {
    name: '{$patch: delete} removes every item with that key',
    doc: containers({ name: '1' }, { name: '1' }, { name: '2', image: 'a' }, { name: '3' }, { name: '3' }),
    patch: containers({ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }),
    want: containers({ name: '2', image: 'a' }),
  },
  {
    name: '{$patch: replace} makes the list the other patch items',
    doc: containers({ name: 'a' }, { name: 'b' }),
    patch: containers({ $patch: 'replace' }, { name: 'c', image: 'c1' }),
    want: containers({ name: 'c', image: 'c1' }),
  },
  {
    name: '{$patch: replace} alone empties the list',
    doc: containers({ name: 'a' }),
    patch: containers({ $patch: 'replace' }),
    want: containers(),
  },
  {
    name: 'ports merge by containerPort',
    doc: containers({ name: 'a', ports: [{ containerPort: 80, name: 'http' }] }),
    patch: containers({ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }),
    want: containers({ name: 'a', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }] }),
  },
  {
    name: 'env: delete one variable, add another',
    doc: containers({ name: 'a', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }),
    patch: containers({ name: 'a', env: [{ name: 'A', $patch: 'delete' }, { name: 'C', value: '3' }] }),
    want: containers({ name: 'a', env: [{ name: 'C', value: '3' }, { name: 'B', value: '2' }] }),
  },
  {
    name: 'a new item is stored as decoding would leave it (no directives, no nulls)',
    doc: containers({ name: 'a' }),
    patch: containers({ name: 'b', image: null, env: [{ name: 'X', $patch: 'delete' }] }),
    want: containers({ name: 'b', env: [{ name: 'X' }] }, { name: 'a' }),
  },
  {
    name: 'a list with nothing to merge into drops its $patch items',
    doc: pod({}),
    patch: containers({ name: 'a' }, { name: 'b', $patch: 'delete' }),
    want: containers({ name: 'a' }),
  },
  {
    name: 'ownerReferences merge by uid',
    doc: { metadata: { ownerReferences: [{ uid: 'u1', name: 'x' }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u1', name: 'y' }] } },
    want: { metadata: { ownerReferences: [{ uid: 'u1', name: 'y' }] } },
  },
  {
    name: 'an atomic list of maps (tolerations) is replaced',
    doc: pod({ tolerations: [{ key: 'a' }, { key: 'b' }] }),
    patch: pod({ tolerations: [{ key: 'c', $patch: 'delete' }] }),
    want: pod({ tolerations: [{ key: 'c' }] }),
  },
  {
    name: 'an item without the merge key (500)',
    doc: containers({ name: 'a' }),
    patch: containers({ image: 'x' }),
    error: { code: 500, message: 'map: map[image:x] does not contain declared merge key: name' },
  },
  {
    name: '{$patch: merge} in a list (500)',
    doc: containers({ name: 'a' }),
    patch: containers({ name: 'a', $patch: 'merge' }),
    error: { code: 500, message: 'merging lists cannot yet be specified in the patch' },
  },
  {
    name: 'an unknown $patch in a list item (500)',
    doc: containers({ name: 'a' }),
    patch: containers({ name: 'a', $patch: 'foo' }),
    error: { code: 500, message: 'unknown patch type: foo in map: map[$patch:foo name:a]' },
  },
];

const listsOfPrimitives: Case[] = [
  {
    name: 'a merge list of primitives is a union (kube test)',
    doc: finalizers('a', 'b'),
    patch: finalizers('b', 'c'),
    want: finalizers('a', 'b', 'c'),
  },
  {
    name: 'patched primitives keep the patch order (kube test)',
    doc: finalizers('1', '2', '3'),
    patch: finalizers('3', '1'),
    want: finalizers('2', '3', '1'),
  },
  {
    name: '$deleteFromPrimitiveList removes values',
    doc: finalizers('a', 'b', 'c'),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zz'] } },
    want: finalizers('a', 'c'),
  },
  {
    name: '$deleteFromPrimitiveList of a missing list adds nothing',
    doc: { metadata: { name: 'p' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: { metadata: { name: 'p' } },
  },
  {
    name: '$deleteFromPrimitiveList works on a list without merge strategy too',
    doc: containers({ name: 'a', args: ['1', '2', '3'] }),
    patch: containers({ name: 'a', '$deleteFromPrimitiveList/args': ['2'] }),
    want: containers({ name: 'a', args: ['1', '3'] }),
  },
  {
    name: '$setElementOrder with additions and deletions (kube test)',
    doc: finalizers('1', '2', '3'),
    patch: {
      metadata: {
        '$setElementOrder/finalizers': ['1', '2', '4'],
        '$deleteFromPrimitiveList/finalizers': ['3'],
        finalizers: ['4'],
      },
    },
    want: finalizers('1', '2', '4'),
  },
  {
    name: 'a list without merge strategy (args) is replaced',
    doc: containers({ name: 'a', args: ['a', 'b'] }),
    patch: containers({ name: 'a', args: ['c'] }),
    want: containers({ name: 'a', args: ['c'] }),
  },
  {
    name: 'lists of lists are 422 Invalid',
    doc: { metadata: { finalizers: [] } },
    patch: { metadata: { finalizers: [['a']] } },
    error: { code: 422, reason: 'Invalid', message: PATCH_REJECTED_MESSAGE, cause: 'lists of lists are not supported' },
  },
  {
    name: 'elements of different types (500)',
    doc: finalizers('a'),
    patch: finalizers(1),
    error: { code: 500, message: 'list element types are not identical: [[a] [1]]' },
  },
];

const retainKeys: Case[] = [
  {
    name: 'kubectl apply switching a Deployment to Recreate ($retainKeys)',
    kind: DEPLOYMENT,
    doc: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } },
    want: { spec: { replicas: 1, strategy: { type: 'Recreate' } } },
  },
  {
    name: '$retainKeys in an item of a merge,retainKeys list (volumes)',
    doc: pod({ volumes: [{ name: 'v', configMap: { name: 'cm' } }] }),
    patch: pod({
      '$setElementOrder/volumes': [{ name: 'v' }],
      volumes: [{ $retainKeys: ['emptyDir', 'name'], emptyDir: {}, name: 'v' }],
    }),
    want: pod({ volumes: [{ name: 'v', emptyDir: {} }] }),
  },
  {
    name: 'a patch field missing from $retainKeys (400)',
    kind: DEPLOYMENT,
    doc: { spec: { strategy: { type: 'RollingUpdate' } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } },
    error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
  },
  {
    name: '$retainKeys that is not a list (400)',
    kind: DEPLOYMENT,
    doc: { spec: { strategy: { type: 'RollingUpdate' } } },
    patch: { spec: { strategy: { $retainKeys: 'type' } } },
    error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
  },
];

const directiveErrors: Case[] = [
  {
    name: '$setElementOrder without a field name (400)',
    doc: finalizers('a'),
    patch: { metadata: { $setElementOrder: ['a'] } },
    error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
  },
  {
    name: '$deleteFromPrimitiveList without a field name (400)',
    doc: finalizers('a'),
    patch: { metadata: { $deleteFromPrimitiveList: ['a'] } },
    error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
  },
  {
    name: '$setElementOrder disagreeing with the patch list (500, kube test)',
    doc: finalizers('1', '3', '2'),
    patch: { metadata: { '$setElementOrder/finalizers': ['1', '2', '3'], finalizers: ['3', '1'] } },
    error: { code: 500, message: /doesn't match \$setElementOrder list/ },
  },
  {
    name: '$setElementOrder that is not a list (500)',
    doc: finalizers('a'),
    patch: { metadata: { '$setElementOrder/finalizers': 'a' } },
    error: { code: 500, message: 'expected a []interface {}, but received a string' },
  },
  {
    name: 'a patch that is not an object (400)',
    doc: finalizers('a'),
    patch: [1],
    error: {
      code: 400,
      reason: 'BadRequest',
      message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    },
  },
];

const lastApplied = '{"apiVersion":"v1","data":{"k":"v2"},"kind":"ConfigMap","metadata":{"name":"c"}}';
const deployment = (...c: unknown[]) => ({ spec: { template: { spec: { containers: c } } } });

const kubectlApply: Case[] = [
  {
    name: 'kubectl apply on a ConfigMap: annotation and data',
    kind: CONFIGMAP,
    doc: {
      metadata: { name: 'c', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', other: 'x' } },
      data: { k: 'v1', keep: 'me' },
    },
    patch: { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }, data: { k: 'v2' } },
    want: {
      metadata: { name: 'c', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied, other: 'x' } },
      data: { k: 'v2', keep: 'me' },
    },
  },
  {
    name: 'kubectl apply changing an image keeps server-set container fields',
    kind: DEPLOYMENT,
    doc: deployment({ name: 'a', image: 'old', ports: [{ containerPort: 80 }] }),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ image: 'x', name: 'a' }] } } } },
    want: deployment({ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }),
  },
  {
    name: 'kubectl apply removing a container',
    kind: DEPLOYMENT,
    doc: deployment({ name: 'a' }, { name: 'b' }),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ $patch: 'delete', name: 'b' }] } } } },
    want: deployment({ name: 'a' }),
  },
  {
    name: 'kubectl apply reordering containers only',
    kind: DEPLOYMENT,
    doc: deployment({ name: 'a' }, { name: 'b' }),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } } } },
    want: deployment({ name: 'b' }, { name: 'a' }),
  },
  {
    name: 'kube test: merge lists of maps with $setElementOrder',
    doc: containers({ name: '1', image: 'a' }, { name: '2', image: '2', args: ['b'] }),
    patch: pod({
      '$setElementOrder/containers': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
      containers: [{ name: '4', image: '4' }, { name: '3', image: '3' }],
    }),
    want: containers({ name: '4', image: '4' }, { name: '1', image: 'a' }, { name: '2', image: '2', args: ['b'] }, { name: '3', image: '3' }),
  },
];

const noSchema: Case[] = [
  {
    name: 'without schema lists are replaced and maps merged',
    kind: 'none',
    doc: { spec: { items: [{ name: 'a' }], m: { a: 1, b: 2 } } },
    patch: { spec: { items: [{ name: 'b' }], m: { b: null, c: 3 } } },
    want: { spec: { items: [{ name: 'b' }], m: { a: 1, c: 3 } } },
  },
  {
    name: 'a null patch changes nothing',
    doc: finalizers('a'),
    patch: null,
    want: finalizers('a'),
  },
];

describe('applyStrategicMergePatch', () => {
  const all: [string, Case[]][] = [
    ['maps', maps],
    ['lists of maps', listsOfMaps],
    ['lists of primitives', listsOfPrimitives],
    ['retainKeys', retainKeys],
    ['directive errors', directiveErrors],
    ['kubectl apply', kubectlApply],
    ['no schema', noSchema],
  ];
  for (const [group, cases] of all) {
    describe(group, () => {
      it.each(cases)('$name', (c) => {
        const doc = deepFreeze(structuredClone(c.doc));
        const patch = deepFreeze(structuredClone(c.patch));
        const run = () => applyStrategicMergePatch(doc, patch, metaFor(c.kind));
        if (c.error) {
          expectStatus(run, c.error);
        } else {
          expect(run()).toEqual(c.want);
        }
        expect(doc).toEqual(c.doc);
        expect(patch).toEqual(c.patch);
      });
    });
  }

  it('reports an unexpected patch strategy from a hand-built PatchMeta (500)', () => {
    const meta: PatchMeta = { field: (n) => (n === 'x' ? { strategy: 'merge,replace,retainKeys', sub: NO_PATCH_META } : undefined) };
    expectStatus(() => applyStrategicMergePatch({ x: { a: 1 } }, { x: { a: 2 } }, meta), {
      code: 500,
      message: 'unexpected patch strategy: [merge replace retainKeys]',
    });
  });
});

describe('patchMetaFromOpenAPI', () => {
  it('reads merge key, strategy and list type through allOf/$ref wrappers', () => {
    const spec = patchMetaFromOpenAPI(schemas, POD).field('spec');
    const c = spec?.sub.field('containers');
    expect(c).toMatchObject({ mergeKey: 'name', strategy: 'merge', listType: 'map' });
    expect(c?.sub.field('ports')).toMatchObject({ mergeKey: 'containerPort', strategy: 'merge' });
    expect(spec?.sub.field('volumes')?.strategy).toBe('merge,retainKeys');
    expect(spec?.sub.field('unknownField')).toBeUndefined();
  });

  it('gives map values (additionalProperties) their schema', () => {
    const props = patchMetaFromOpenAPI(schemas, CRD_PROPS).field('properties');
    const nested = props?.sub.field('anyName')?.sub.field('required');
    expect(nested).toMatchObject({ listType: 'atomic' });
    expect(nested?.strategy).toBeUndefined();
  });

  it('resolves recursive types lazily and caches per definition', () => {
    const a = patchMetaFromOpenAPI(schemas, CRD_PROPS);
    expect(patchMetaFromOpenAPI(schemas, CRD_PROPS)).toBe(a);
    const deep = a.field('items')?.sub.field('items')?.sub.field('items');
    expect(deep?.sub.field('type')).toBeDefined();
    expect(a.field('items')?.sub).toBe(a.field('items')?.sub.field('items')?.sub);
  });

  it('treats an unknown definition as schemaless', () => {
    expect(patchMetaFromOpenAPI(schemas, 'io.example.v1.Nothing').field('spec')).toBeUndefined();
  });
});

function expectStatus(run: () => unknown, want: NonNullable<Case['error']>): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  if (!isStatusError(caught)) throw new Error(`expected a StatusError, got ${String(caught)}`);
  const s = caught.status;
  expect(s.code).toBe(want.code);
  expect(s.reason).toBe(want.reason);
  if (typeof want.message === 'string') expect(s.message).toBe(want.message);
  else expect(s.message).toMatch(want.message);
  if (want.cause) expect(s.details?.causes?.[0]?.message).toBe(want.cause);
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}
