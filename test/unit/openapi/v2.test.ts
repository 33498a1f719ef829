import { describe, expect, it } from 'vitest';
import { parse as parseYAML } from 'yaml';
import { encodeOpenAPIV2, negotiateOpenAPIV2 } from '../../../src/apiserver/openapi/v2/protobuf.js';
import { ProtoWriter } from '../../../src/apiserver/openapi/v2/proto-writer.js';
import { openAPIV2Document, openAPIV2JSON, toV2Schema } from '../../../src/apiserver/openapi/v2/swagger.js';
import { builtinResources } from '../../../src/apiserver/registry/builtin/index.js';
import type { ResourceType } from '../../../src/apiserver/registry/strategy.js';

type JSONObject = Record<string, any>;

// ---------------------------------------------------------------- a tiny protobuf decoder

/** Field number -> values in order: varints as bigint, everything else as raw bytes. */
type Fields = Map<number, Array<bigint | Buffer>>;

function decode(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >>> 3, key & 7];
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1) { value = buf.subarray(pos, pos + 8); pos += 8; }
    else if (wire === 2) { const n = Number(varint()); value = buf.subarray(pos, pos + n); pos += n; }
    else if (wire === 5) { value = buf.subarray(pos, pos + 4); pos += 4; }
    else throw new Error(`unexpected wire type ${wire} at ${pos}`);
    if (pos > buf.length) throw new Error('truncated message');
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const all = (m: Fields, field: number) => (m.get(field) ?? []) as Buffer[];
const msg = (m: Fields, field: number): Fields | undefined => { const v = all(m, field).at(-1); return v ? decode(v) : undefined; };
const msgs = (m: Fields, field: number): Fields[] => all(m, field).map((b) => decode(b));
const str = (m: Fields | undefined, field: number): string => (m ? all(m, field).at(-1)?.toString('utf8') ?? '' : '');
const strs = (m: Fields | undefined, field: number): string[] => (m ? all(m, field).map((b) => b.toString('utf8')) : []);
const bool = (m: Fields | undefined, field: number): boolean => Boolean(m?.get(field)?.at(-1));

/** A `repeated Named*` field as a Map from name (field 1) to value message (field 2). */
function named(m: Fields | undefined, field: number): Map<string, Fields> {
  return new Map(m ? msgs(m, field).map((n) => [str(n, 1), msg(n, 2) ?? new Map()]) : []);
}

/** Vendor extensions (repeated NamedAny) parsed from their Any.yaml (field 2), as kubectl does. */
function extensions(m: Fields | undefined, field: number): Record<string, unknown> {
  return Object.fromEntries([...named(m, field)].map(([name, any]) => [name, parseYAML(str(any, 2))]));
}

// ---------------------------------------------------------------- fixtures

const resources = builtinResources({ now: () => new Date(0) });
const crontabs: ResourceType = {
  group: 'stable.example.com', version: 'v1', resource: 'crontabs', kind: 'CronTab', listKind: 'CronTabList',
  singularName: 'crontab', namespaced: true, verbs: ['get', 'list', 'patch'], strategy: {},
};
const json = openAPIV2Document(resources, { version: 'v1.33.0' }) as JSONObject;
const bytes = encodeOpenAPIV2(json);
const document = decode(bytes);
const definitions = named(msg(document, 9), 1);
const paths = named(msg(document, 8), 2);

/** The parameter sub-schema inside a ParametersItem: [in, message]. */
function parameterOf(item: Fields): [string, Fields] {
  const parameter = msg(item, 1)!;
  const body = msg(parameter, 1);
  if (body) return ['body', body];
  const nonBody = msg(parameter, 2)!;
  const [kind] = [...nonBody.keys()];
  return [({ 1: 'header', 2: 'formData', 3: 'query', 4: 'path' } as Record<number, string>)[kind!]!, msg(nonBody, kind!)!];
}

/**
 * cli-runtime's QueryParamVerifier (pkg/resource/query_param_verifier.go): the first path whose
 * PATCH operation carries the GVK decides whether the query parameter is supported.
 */
function supportsQueryParam(gvk: { group: string; version: string; kind: string }, param: string): boolean | 'not found' {
  for (const item of paths.values()) {
    const patch = msg(item, 8);
    const ext = extensions(patch, 13)['x-kubernetes-group-version-kind'] as Record<string, string> | undefined;
    if (!ext || ext.group !== gvk.group || ext.version !== gvk.version || ext.kind !== gvk.kind) continue;
    return msgs(patch!, 8).some((p) => { const [where, sub] = parameterOf(p); return where === 'query' && str(sub, 4) === param; });
  }
  return 'not found';
}

// ---------------------------------------------------------------- tests

describe('encodeOpenAPIV2 (gnostic openapi_v2.Document)', () => {
  it('carries swagger "2.0" and the info block', () => {
    expect(str(document, 1)).toBe('2.0');
    const info = msg(document, 2);
    expect(str(info, 1)).toBe('Kubernetes');
    expect(str(info, 2)).toBe('v1.33.0');
  });

  it('publishes io.k8s.api.core.v1.Pod with its x-kubernetes-group-version-kind as a YAML list', () => {
    const pod = definitions.get('io.k8s.api.core.v1.Pod');
    expect(pod).toBeDefined();
    expect(strs(msg(pod!, 22), 1)).toEqual(['object']);
    expect(extensions(pod, 31)['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(named(msg(pod!, 25), 1).has('spec')).toBe(true);
  });

  it('keeps patch metadata and plain $refs on fields (what client-side apply and explain read)', () => {
    const containers = named(msg(definitions.get('io.k8s.api.core.v1.PodSpec')!, 25), 1).get('containers')!;
    expect(strs(msg(containers, 22), 1)).toEqual(['array']);
    const items = msgs(msg(containers, 23)!, 1);
    expect(items).toHaveLength(1);
    expect(str(items[0], 1)).toBe('#/definitions/io.k8s.api.core.v1.Container');
    expect(extensions(containers, 31)).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    const metadata = named(msg(definitions.get('io.k8s.api.core.v1.Pod')!, 25), 1).get('metadata')!;
    expect(str(metadata, 1)).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(metadata.has(22)).toBe(false);
    expect(str(metadata, 4)).toMatch(/metadata/);
  });

  it('has a PATCH operation for apps/v1 Deployment with the GVK and an inline fieldValidation query parameter', () => {
    const item = paths.get('/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!;
    const patch = msg(item, 8)!;
    expect(str(patch, 5)).toBe('patchAppsV1NamespacedDeployment');
    expect(extensions(patch, 13)).toEqual({
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' },
    });
    const params = msgs(patch, 8).map(parameterOf);
    const fieldValidation = params.find(([where, sub]) => where === 'query' && str(sub, 4) === 'fieldValidation');
    expect(fieldValidation).toBeDefined();
    expect(str(fieldValidation![1], 2)).toBe('query');
    expect(str(fieldValidation![1], 6)).toBe('string'); // QueryParameterSubSchema.type is field 6
    const [, body] = params.find(([where]) => where === 'body')!;
    expect(str(body, 2)).toBe('body');
    expect(bool(body, 4)).toBe(true);
    expect(str(msg(body, 5), 1)).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    expect(strs(patch, 7)).toContain('application/strategic-merge-patch+json');
    const ok = named(msg(patch, 9), 1).get('200')!;
    expect(str(msg(msg(msg(ok, 1)!, 2)!, 1), 1)).toBe('#/definitions/io.k8s.api.apps.v1.Deployment');
  });

  it('puts path parameters on the path item as PathParameterSubSchema (required, type at field 5)', () => {
    const item = paths.get('/api/v1/namespaces/{namespace}/pods/{name}')!;
    const byName = new Map(msgs(item, 9).map(parameterOf).map(([where, sub]) => [str(sub, 4), [where, sub] as const]));
    const [where, name] = byName.get('name')!;
    expect(where).toBe('path');
    expect(bool(name, 1)).toBe(true);
    expect(str(name, 5)).toBe('string');
    expect(byName.get('pretty')![0]).toBe('query');
  });

  it('answers the QueryParamVerifier the way kubectl needs', () => {
    expect(supportsQueryParam({ group: 'apps', version: 'v1', kind: 'Deployment' }, 'fieldValidation')).toBe(true);
    expect(supportsQueryParam({ group: '', version: 'v1', kind: 'ConfigMap' }, 'fieldValidation')).toBe(true);
    // Unknown kinds (CRDs) are judged by Namespace's support.
    expect(supportsQueryParam({ group: '', version: 'v1', kind: 'Namespace' }, 'fieldValidation')).toBe(true);
    expect(supportsQueryParam({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, 'fieldValidation')).toBe('not found');
  });

  it('encodes security definitions, additionalProperties: false and numbers', () => {
    const security = named(msg(document, 13), 1).get('BearerToken')!;
    const apiKey = msg(security, 2)!;
    expect([str(apiKey, 1), str(apiKey, 2), str(apiKey, 3)]).toEqual(['apiKey', 'authorization', 'header']);

    const small = decode(encodeOpenAPIV2({
      swagger: '2.0',
      definitions: { Closed: { type: 'object', additionalProperties: false, maxLength: 300, minimum: -1.5, default: { a: 'yes' } } },
    }));
    const closed = named(msg(small, 9), 1).get('Closed')!;
    expect(msg(closed, 21)!.get(2)).toEqual([0n]); // the oneof's bool is written even though false
    expect(closed.get(11)).toEqual([300n]);
    expect((closed.get(9)![0] as Buffer).readDoubleLE(0)).toBe(-1.5);
    expect(str(msg(closed, 5), 2)).toBe('a: "yes"\n'); // YAML 1.1: "yes" stays a string
  });

  it('is memoised per document', () => {
    expect(encodeOpenAPIV2(json)).toBe(bytes);
  });
});

describe('openAPIV2Document (Swagger 2.0 JSON)', () => {
  it('is memoised by content, not by array identity, and keyed by version', () => {
    expect(openAPIV2Document([...resources], { version: 'v1.33.0' })).toBe(json);
    expect(openAPIV2Document([...resources].reverse(), { version: 'v1.33.0' })).toBe(json);
    expect(openAPIV2Document(resources, { version: 'v1.34.0' })).not.toBe(json);
    expect(Object.isFrozen(json.definitions)).toBe(true);
    expect(openAPIV2JSON(json)).toBe(openAPIV2JSON(json));
    expect(JSON.parse(openAPIV2JSON(json))).toEqual(json);
  });

  it('skips resources without an OpenAPI definition', () => {
    const withCRD = openAPIV2Document([...resources, crontabs], { version: 'v1.33.0' }) as JSONObject;
    expect(Object.keys(withCRD.paths).some((p) => p.includes('example.com'))).toBe(false);
  });

  it('has the fieldValidation parameter on every post, put and patch', () => {
    for (const [path, item] of Object.entries(json.paths as Record<string, JSONObject>)) {
      for (const verb of ['post', 'put', 'patch']) {
        if (!item[verb]) continue;
        expect(item[verb].parameters.map((p: JSONObject) => p.name), `${verb} ${path}`).toContain('fieldValidation');
        expect(item[verb]['x-kubernetes-group-version-kind'], `${verb} ${path}`).toBeDefined();
      }
    }
  });

  it('only has schemas kubectl\'s strict parser accepts (kube-openapi pkg/util/proto)', () => {
    const problems: string[] = [];
    // `names` marks a map keyed by names (definitions, properties, paths), not a schema.
    const check = (s: unknown, where: string, names = false): void => {
      if (typeof s !== 'object' || s === null) return;
      if (Array.isArray(s)) { s.forEach((x, i) => check(x, `${where}[${i}]`)); return; }
      const o = s as JSONObject;
      if (names) { for (const [k, v] of Object.entries(o)) check(v, `${where}.${k}`); return; }
      for (const k of ['allOf', 'oneOf', 'anyOf', 'nullable']) if (k in o) problems.push(`${where}: ${k}`);
      if (typeof o.$ref === 'string') {
        if (!o.$ref.startsWith('#/definitions/') || !(o.$ref.slice(14) in json.definitions)) problems.push(`${where}: dangling ${o.$ref}`);
        if ('type' in o || 'properties' in o) problems.push(`${where}: $ref with type or properties`);
      }
      if (o.type === 'array' && (typeof o.items !== 'object' || Array.isArray(o.items))) problems.push(`${where}: array without one items schema`);
      for (const [k, v] of Object.entries(o)) if (!k.startsWith('x-')) check(v, `${where}.${k}`, k === 'properties');
    };
    check(json.definitions, 'definitions', true);
    check(json.paths, 'paths', true);
    expect(problems).toEqual([]);
    expect(json.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(json.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'].type).toBe('string');
  });
});

describe('toV2Schema', () => {
  it('unwraps allOf-wrapped references, keeping the description and dropping the default', () => {
    expect(toV2Schema({ allOf: [{ $ref: '#/components/schemas/X' }], default: {}, description: 'd' })).toEqual({ $ref: '#/definitions/X', description: 'd' });
    expect(toV2Schema({ type: 'object', additionalProperties: { allOf: [{ $ref: '#/components/schemas/Y' }] } }))
      .toEqual({ type: 'object', additionalProperties: { $ref: '#/definitions/Y' } });
  });
});

describe('ProtoWriter', () => {
  it('writes varints, negative int64s, doubles and skips proto3 defaults', () => {
    const w = new ProtoWriter(1).int64(1, 300).int64(2, -1).string(3, '').string(4, '', true).bool(5, false).double(6, 0.5);
    const fields = decode(Buffer.from(w.finish()));
    expect(fields.get(1)).toEqual([300n]);
    expect(fields.get(2)).toEqual([0xffffffffffffffffn]);
    expect(fields.has(3)).toBe(false);
    expect(fields.get(4)).toEqual([Buffer.alloc(0)]);
    expect(fields.has(5)).toBe(false);
    expect((fields.get(6)![0] as Buffer).readDoubleLE(0)).toBe(0.5);
  });
});

describe('negotiateOpenAPIV2', () => {
  it('picks protobuf for client-go\'s Accept and JSON otherwise, as kube-openapi does', () => {
    expect(negotiateOpenAPIV2('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenAPIV2('application/com.github.proto-openapi.spec.v2.v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenAPIV2('application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenAPIV2(undefined)).toBe('json');
    expect(negotiateOpenAPIV2('*/*')).toBe('json');
    expect(negotiateOpenAPIV2('application/json, */*')).toBe('json');
    expect(negotiateOpenAPIV2('text/html')).toBeUndefined();
  });
});
