// Requests kube-apiserver refuses, each with the answer it gives (code and reason): invalid
// names, labels and field types, malformed or oversized bodies, mismatched names and kinds,
// stale resourceVersions and preconditions, failing patches, schema violations in a custom
// resource, and a conflicting apply.
import fc from 'fast-check';
import type { api, Res } from '../e2e/http-client.js';
import { data, invalidLabelKey, invalidLabelValue, invalidName, nonString } from './arbitraries.js';
import { invalidLabelSelector } from './selectors.js';

export const NS = 'fuzz';
export const CM = `/api/v1/namespaces/${NS}/configmaps`;
export const WIDGETS = `/apis/example.com/v1/namespaces/${NS}/widgets`;
export const PODS = `/api/v1/namespaces/${NS}/pods`;
/** A ConfigMap the setup creates, whose data.k `owner` manages. */
export const TARGET = 'target';

export const widgetCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: {
        size: { type: 'integer', minimum: 0, maximum: 100 },
        color: { type: 'string', enum: ['red', 'blue'] },
        tags: { type: 'array', maxItems: 3, items: { type: 'string', maxLength: 10 } },
      } } } } },
    }],
  },
};

export interface BadRequest {
  what: string;
  send: (c: ReturnType<typeof api>) => Promise<Res>;
  code: number | number[];
  reason: string | string[];
}

const cm = (metadata: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata, ...extra });
const post = (path: string, body: unknown) => (c: ReturnType<typeof api>) => c.post(path, body);
const patch = (path: string, body: unknown, type: string) => (c: ReturnType<typeof api>) => c.request('PATCH', path, body, { 'content-type': type });

const widget = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w-bad' }, spec });
/** Widget specs the schema refuses: a wrong type, out of range, not in the enum, too many or too long tags, size missing. */
const badWidgetSpec = fc.oneof(
  fc.oneof(fc.string(), fc.boolean(), fc.constant({}), fc.double({ min: 0.1, max: 0.9 })).map((size) => ({ size })),
  fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 101 })).map((size) => ({ size })),
  fc.string({ minLength: 1 }).filter((s) => s !== 'red' && s !== 'blue').map((color) => ({ size: 1, color })),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 4, maxLength: 6 }).map((tags) => ({ size: 1, tags })),
  fc.string({ minLength: 11, maxLength: 20 }).map((t) => ({ size: 1, tags: [t] })),
  fc.constant({ color: 'red' }),
);

export const badRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  invalidName.map((n) => ({ what: `create named ${JSON.stringify(n)}`, send: post(CM, cm({ name: n })), code: 422, reason: 'Invalid' })),
  invalidLabelValue.map((v) => ({ what: `label value ${JSON.stringify(v)}`, send: post(CM, cm({ name: 'l', labels: { app: v } })), code: 422, reason: 'Invalid' })),
  invalidLabelKey.map((k) => ({ what: `label key ${JSON.stringify(k)}`, send: post(CM, cm({ name: 'l', labels: { [k]: 'v' } })), code: 422, reason: 'Invalid' })),
  // kube's decoder answers 400 (cannot unmarshal ... into Go struct field); kubesim validates the type: 422.
  nonString.map((v) => ({ what: `data value ${JSON.stringify(v)}`, send: post(CM, cm({ name: 't' }, { data: { k: v } })), code: [400, 422], reason: ['BadRequest', 'Invalid'] })),
  fc.tuple(data, fc.nat()).map(([d, n]) => {
    const text = JSON.stringify(cm({ name: 'trunc' }, { data: d }));
    const cut = text.slice(0, n % text.length);
    return { what: `truncated body ${JSON.stringify(cut)}`, send: post(CM, cut), code: 400, reason: 'BadRequest' };
  }),
  fc.constantFrom('', 'null', '[]', '"x"', '12', '{"metadata":', 'not json').map((b) => ({ what: `body ${JSON.stringify(b)}`, send: post(CM, b), code: [400, 422], reason: ['BadRequest', 'Invalid'] })),
  fc.constant({ what: 'data over 1 MiB', send: post(CM, cm({ name: 'big' }, { data: { k: 'x'.repeat(1024 * 1024 + 1) } })), code: 422, reason: 'Invalid' }),
  fc.constant({ what: 'body over 3 MiB', send: post(CM, cm({ name: 'huge' }, { data: { k: 'x'.repeat(3 * 1024 * 1024 + 10) } })), code: 413, reason: 'RequestEntityTooLarge' }),
  fc.constant({ what: 'PUT with another name', send: (c: ReturnType<typeof api>) => c.put(`${CM}/${TARGET}`, cm({ name: 'other' })), code: 400, reason: 'BadRequest' }),
  fc.constant({ what: 'PUT with a stale resourceVersion', send: (c: ReturnType<typeof api>) => c.put(`${CM}/${TARGET}`, cm({ name: TARGET, resourceVersion: '1' })), code: 409, reason: 'Conflict' }),
  fc.constant({ what: 'POST of a Secret to configmaps', send: post(CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }), code: 400, reason: 'BadRequest' }),
  fc.constant({ what: 'create in a missing namespace', send: post('/api/v1/namespaces/missing/configmaps', cm({ name: 'x' })), code: 404, reason: 'NotFound' }),
  fc.constant({ what: 'JSON patch whose test fails', send: patch(`${CM}/${TARGET}`, [{ op: 'test', path: '/data/k', value: 'no' }, { op: 'add', path: '/data/z', value: 'z' }], 'application/json-patch+json'), code: 422, reason: 'Invalid' }),
  invalidLabelValue.map((v) => ({ what: `merge patch to label ${JSON.stringify(v)}`, send: patch(`${CM}/${TARGET}`, { metadata: { labels: { app: v } } }, 'application/merge-patch+json'), code: 422, reason: 'Invalid' })),
  fc.constantFrom('text/plain', 'application/xml', 'application/json-patch').map((t) => ({ what: `patch as ${t}`, send: patch(`${CM}/${TARGET}`, {}, t), code: 415, reason: 'UnsupportedMediaType' })),
  fc.constant({ what: 'apply that conflicts with another manager', send: patch(`${CM}/${TARGET}?fieldManager=other`, cm({ name: TARGET }, { data: { k: 'mine' } }), 'application/apply-patch+yaml'), code: 409, reason: 'Conflict' }),
  fc.constant({ what: 'delete with a wrong uid', send: (c: ReturnType<typeof api>) => c.delete(`${CM}/${TARGET}`, { preconditions: { uid: 'not-the-uid' } }), code: 409, reason: 'Conflict' }),
  invalidLabelSelector.map((s) => ({ what: `list with selector ${JSON.stringify(s)}`, send: (c: ReturnType<typeof api>) => c.get(`${CM}?labelSelector=${encodeURIComponent(s)}`), code: 400, reason: 'BadRequest' })),
  badWidgetSpec.map((spec) => ({ what: `widget spec ${JSON.stringify(spec)}`, send: post(WIDGETS, widget(spec)), code: 422, reason: 'Invalid' })),
  fc.constantFrom(
    { containers: [] },
    { containers: [{ name: 'Bad_Name', image: 'nginx' }] },
    { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 70000 }] }] },
    { containers: [{ name: 'c', image: 'nginx' }, { name: 'c', image: 'nginx' }] },
    { containers: [{ name: 'c', image: 'nginx' }], restartPolicy: 'Sometimes' },
  ).map((spec) => ({ what: `pod spec ${JSON.stringify(spec)}`, send: post(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec }), code: 422, reason: 'Invalid' })),
);
