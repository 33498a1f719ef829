import { describe, expect, it } from 'vitest';
import {
  customResourceDefinitionName, customResourceDefinitions, customResourceListDefinitionName,
} from '../../../src/apiserver/openapi/custom-resource-schema.js';
import { encodeOpenAPIV2 } from '../../../src/apiserver/openapi/v2/protobuf.js';
import { openAPIV2Document } from '../../../src/apiserver/openapi/v2/swagger.js';
import { openAPIV3Document, openAPIV3Index } from '../../../src/apiserver/openapi/v3.js';
import { builtinResources } from '../../../src/apiserver/registry/builtin/index.js';
import { ALL_VERBS, type ResourceType } from '../../../src/apiserver/registry/strategy.js';

type JSONObject = Record<string, any>;

const cronTabSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      description: 'The desired CronTab',
      example: { cronSpec: '* * * * */5' },
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', description: 'The cron schedule' },
        image: { type: 'string' },
        replicas: { type: 'integer', minimum: 1, default: 1 },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      },
      required: ['cronSpec', 'note'],
      'x-kubernetes-validations': [{ rule: 'self.replicas <= 10', message: 'at most 10' }],
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' } } },
  },
};

const crontabs: ResourceType = {
  group: 'stable.example.com', version: 'v1', resource: 'crontabs', kind: 'CronTab', listKind: 'CronTabList', singularName: 'crontab',
  namespaced: true, verbs: ALL_VERBS,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  isCustomResource: true, strategy: {}, openAPISchema: cronTabSchema,
};
const builtins = builtinResources({ now: () => new Date(0) });
const all = [...builtins, crontabs];
const GV = 'apis/stable.example.com/v1';
const KIND = 'com.example.stable.v1.CronTab';
const ITEM = '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}';

const v3 = (resources = all) => openAPIV3Document(GV, resources) as JSONObject;
const v2 = (resources = all) => openAPIV2Document(resources, { version: 'v1.32.0' }) as JSONObject;

/** The component a v3 schema refers to (directly or through a one-element allOf). */
function resolve(doc: JSONObject, schema: JSONObject): JSONObject | undefined {
  const ref: string | undefined = schema.$ref ?? schema.allOf?.[0]?.$ref;
  return ref ? doc.components.schemas[ref.slice('#/components/schemas/'.length)] : schema;
}

describe('customResourceDefinitions', () => {
  it('names definitions with the group reversed, then version and kind', () => {
    expect(customResourceDefinitionName(crontabs)).toBe(KIND);
    expect(customResourceListDefinitionName(crontabs)).toBe('com.example.stable.v1.CronTabList');
    expect(customResourceDefinitionName({ group: 'widgets', version: 'v1alpha1', kind: 'Widget' })).toBe('widgets.v1alpha1.Widget');
  });

  it('keeps the structural schema with TypeMeta, an ObjectMeta reference and the GVK', () => {
    const defs = customResourceDefinitions(crontabs) as JSONObject;
    const kind = defs[KIND];
    expect(kind['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(kind.properties.metadata.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(kind.properties.apiVersion).toMatchObject({ type: 'string', description: expect.stringMatching(/^APIVersion defines/) });
    expect(kind.properties.kind).toMatchObject({ type: 'string', description: expect.stringMatching(/^Kind is a string value/) });
    const spec = kind.properties.spec;
    expect(spec.description).toBe('The desired CronTab');
    expect(spec.example).toBeUndefined();
    expect(spec.properties.cronSpec).toEqual(cronTabSchema.properties.spec.properties.cronSpec);
    expect(spec.properties.replicas).toEqual({ type: 'integer', minimum: 1, default: 1 });
    expect(spec.properties.port).toEqual({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(spec['x-kubernetes-validations']).toEqual([{ rule: 'self.replicas <= 10', message: 'at most 10' }]);
    expect(spec.properties.tags['x-kubernetes-list-type']).toBe('set');
    expect(spec.properties.template.required).toEqual(['kind', 'apiVersion']);
    expect(Object.keys(spec.properties.template.properties)).toEqual(['apiVersion', 'kind', 'metadata']);
    const list = defs['com.example.stable.v1.CronTabList'];
    expect(list.properties.items).toMatchObject({ type: 'array', items: { $ref: `#/components/schemas/${KIND}` } });
    expect(list.properties.metadata.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta');
    expect(list['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTabList', version: 'v1' }]);
  });

  it('applies the v2 restrictions: no junctors, no defaults, untyped nullable and preserved fields', () => {
    const kind = (customResourceDefinitions(crontabs, { v2: true }) as JSONObject)[KIND];
    expect(kind.properties.metadata.$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const spec = kind.properties.spec;
    expect(spec.properties.replicas).toEqual({ type: 'integer', minimum: 1 });
    expect(spec.properties.port).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(spec.properties.note).toEqual({});
    expect(spec.required).toEqual(['cronSpec']);
    expect(spec.properties.template).toEqual({ 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true });
    const open = { ...crontabs, openAPISchema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
    expect((customResourceDefinitions(open, { v2: true }) as JSONObject)[KIND]).toEqual({
      type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }],
    });
    expect(Object.keys((customResourceDefinitions(open) as JSONObject)[KIND].properties)).toEqual(['apiVersion', 'kind', 'metadata']);
  });
});

describe('/openapi/v3 with custom resources', () => {
  it('lists the CRD group-version (without a group document) and drops it with the CRD', () => {
    const paths = Object.keys(openAPIV3Index(all).paths);
    expect(paths).toContain(GV);
    expect(paths).not.toContain('apis/stable.example.com');
    const without = Object.keys(openAPIV3Index(builtins).paths);
    expect(without.some((p) => p.includes('example.com'))).toBe(false);
    expect(v3(builtins)).toBeUndefined();
  });

  it('holds the CronTab definition with its GVK, descriptions and a resolvable ObjectMeta', () => {
    const doc = v3();
    const kind = doc.components.schemas[KIND];
    expect(kind['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(kind.properties.spec.properties.cronSpec.description).toBe('The cron schedule');
    const meta = resolve(doc, kind.properties.metadata);
    expect(meta?.properties?.name).toBeDefined();
    for (const ref of JSON.stringify(doc).match(/#\/components\/schemas\/[^"]+/g) ?? []) {
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('serves the resource paths with fieldValidation and the patch types a CR accepts', () => {
    const paths = v3().paths;
    expect(Object.keys(paths).sort()).toEqual([
      '/apis/stable.example.com/v1/crontabs',
      '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs',
      ITEM, `${ITEM}/scale`, `${ITEM}/status`,
    ]);
    const patch = paths[ITEM].patch;
    expect(patch.operationId).toBe('patchStableExampleComV1NamespacedCronTab');
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'stable.example.com', kind: 'CronTab', version: 'v1' });
    expect(patch.parameters.map((p: JSONObject) => p.name)).toContain('fieldValidation');
    expect(Object.keys(patch.requestBody.content).sort()).toEqual(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
    expect(paths[ITEM].put.parameters.map((p: JSONObject) => p.name)).toContain('fieldValidation');
    expect(paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs'].post.parameters.map((p: JSONObject) => p.name)).toContain('fieldValidation');
    expect(paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs'].get.responses['200'].content['application/json'].schema.$ref)
      .toBe('#/components/schemas/com.example.stable.v1.CronTabList');
    expect(paths[`${ITEM}/scale`].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/io.k8s.api.autoscaling.v1.Scale');
    expect(Object.keys(paths[`${ITEM}/status`].patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
  });

  it('rebuilds when the CRD schema changes', () => {
    const before = openAPIV3Index(all).paths[GV]!.serverRelativeURL;
    const described = structuredClone(cronTabSchema);
    described.properties.spec.properties.image = { type: 'string', description: 'The image to run' } as never;
    const after = [...builtins, { ...crontabs, openAPISchema: described }];
    expect(openAPIV3Index(after).paths[GV]!.serverRelativeURL).not.toBe(before);
    expect(v3(after).components.schemas[KIND].properties.spec.properties.image.description).toBe('The image to run');
  });
});

describe('/openapi/v2 with custom resources', () => {
  it('holds the v2 definitions and a PATCH operation kubectl finds by GVK', () => {
    const doc = v2();
    const kind = doc.definitions[KIND];
    expect(kind['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(kind.properties.spec.properties.cronSpec.description).toBe('The cron schedule');
    expect(doc.definitions['com.example.stable.v1.CronTabList']).toBeDefined();
    expect(doc.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    const patch = doc.paths[ITEM].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'stable.example.com', kind: 'CronTab', version: 'v1' });
    expect(patch.parameters.map((p: JSONObject) => p.name)).toContain('fieldValidation');
    expect(patch.consumes).not.toContain('application/strategic-merge-patch+json');
    for (const ref of JSON.stringify(doc).match(/#\/definitions\/[^"]+/g) ?? []) {
      expect(doc.definitions[ref.slice('#/definitions/'.length)], ref).toBeDefined();
    }
    expect(JSON.stringify(doc)).not.toContain('#/components/schemas/');
    expect(encodeOpenAPIV2(doc).length).toBeGreaterThan(0);
  });

  it('drops the definitions and paths with the CRD', () => {
    const doc = v2(builtins);
    expect(doc.definitions[KIND]).toBeUndefined();
    expect(Object.keys(doc.paths).some((p) => p.includes('example.com'))).toBe(false);
  });
});
