// Generates src/apiserver/openapi/definitions.json: the OpenAPI v3 component schemas of the
// built-in kinds kubesim serves, keyed by Kubernetes definition name, the way kube-apiserver
// names them in /openapi/v3 ("io.k8s.api.core.v1.Pod").
//
// Source: @kubernetes/client-node's generated models (from the Kubernetes OpenAPI spec):
// *.d.ts give descriptions and optionality, each class's attributeTypeMap gives types and
// formats. What client-node loses (which string fields are Quantities, which `any` fields
// are FieldsV1 or RawExtension, list types and patch strategies) comes from hand-written
// tables. Run with `npm run gen:openapi`; the output is committed, so the server never
// needs client-node at run time.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { PROPERTY_EXTENSIONS, TYPE_EXTENSIONS } from '../src/apiserver/openapi/patch-metadata.js';

type Schema = Record<string, unknown>;
interface Attribute { name: string; baseName: string; type: string; format: string }
interface ModelClass { attributeTypeMap?: Attribute[] }

const require = createRequire(import.meta.url);
const clientDist = dirname(require.resolve('@kubernetes/client-node'));
const modelsDir = join(clientDist, 'gen', 'models');
const apisDir = join(clientDist, 'gen', 'apis');
const outFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'apiserver', 'openapi', 'definitions.json');

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const FIELDS_V1 = `${META}.FieldsV1`;
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** The kinds whose schemas (and everything they reference) the server publishes. */
const ROOTS = [
  'V1Namespace', 'V1Pod', 'V1ConfigMap', 'V1Secret', 'V1Service', 'V1ServiceAccount', 'V1Endpoints', 'CoreV1Event', 'V1Node',
  'V1NamespaceList', 'V1PodList', 'V1ConfigMapList', 'V1SecretList', 'V1ServiceList', 'V1ServiceAccountList',
  'V1EndpointsList', 'CoreV1EventList', 'V1NodeList',
  'EventsV1Event', 'EventsV1EventList', 'V1Lease', 'V1LeaseList',
  'V1Deployment', 'V1DeploymentList', 'V1ReplicaSet', 'V1ReplicaSetList', 'V1StatefulSet', 'V1StatefulSetList',
  'V1DaemonSet', 'V1DaemonSetList', 'V1Job', 'V1JobList', 'V1CronJob', 'V1CronJobList', 'V1Scale',
  'V1Status', 'V1DeleteOptions', 'V1WatchEvent', 'V1APIResourceList', 'V1APIGroup', 'V1APIGroupList', 'V1APIVersions',
  'VersionInfo',
  'V1CustomResourceDefinition', 'V1CustomResourceDefinitionList',
  'V1ResourceQuota', 'V1ResourceQuotaList',
  'V1Role', 'V1RoleList', 'V1ClusterRole', 'V1ClusterRoleList', 'V1RoleBinding', 'V1RoleBindingList',
  'V1ClusterRoleBinding', 'V1ClusterRoleBindingList',
  'V1SubjectAccessReview', 'V1LocalSubjectAccessReview', 'V1SelfSubjectAccessReview', 'V1SelfSubjectRulesReview',
];

/** apimachinery's meta/v1 types: client-node names them like any other V1 class. */
const META_TYPES = new Set([
  'ObjectMeta', 'ListMeta', 'LabelSelector', 'LabelSelectorRequirement', 'OwnerReference', 'ManagedFieldsEntry',
  'Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions', 'WatchEvent', 'APIResourceList',
  'APIResource', 'APIGroup', 'APIGroupList', 'APIVersions', 'GroupVersionForDiscovery', 'ServerAddressByClientCIDR',
  'Condition',
]);

/** Classes used by several groups' APIs whose home is neither core nor the first user. */
const PACKAGE_OVERRIDES: Record<string, string> = {
  V1Scale: 'io.k8s.api.autoscaling.v1',
  V1ScaleSpec: 'io.k8s.api.autoscaling.v1',
  V1ScaleStatus: 'io.k8s.api.autoscaling.v1',
  VersionInfo: 'io.k8s.apimachinery.pkg.version',
};

/** Definition name for Info is io.k8s.apimachinery.pkg.version.Info, not ...VersionInfo. */
const NAME_OVERRIDES: Record<string, string> = { VersionInfo: 'io.k8s.apimachinery.pkg.version.Info' };

/** Group word of a client-node class or API prefix -> Go package segment under io.k8s.api. */
const GROUP_PACKAGES: Record<string, string> = {
  rbacauthorization: 'rbac', flowcontrolapiserver: 'flowcontrol', internalapiserver: 'apiserverinternal',
};

/** String fields that are resource.Quantity in Kubernetes (client-node types them as string). */
const QUANTITY_FIELDS: Record<string, string[]> = {
  'io.k8s.api.core.v1.ResourceRequirements': ['limits', 'requests'],
  'io.k8s.api.core.v1.VolumeResourceRequirements': ['limits', 'requests'],
  'io.k8s.api.core.v1.EmptyDirVolumeSource': ['sizeLimit'],
  'io.k8s.api.core.v1.ResourceFieldSelector': ['divisor'],
  'io.k8s.api.core.v1.PodSpec': ['overhead'],
  'io.k8s.api.core.v1.ResourceQuotaSpec': ['hard'],
  'io.k8s.api.core.v1.ResourceQuotaStatus': ['hard', 'used'],
  'io.k8s.api.core.v1.ContainerStatus': ['allocatedResources'],
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': ['capacity', 'allocatedResources'],
  'io.k8s.api.core.v1.NodeStatus': ['capacity', 'allocatable'],
};

/**
 * client-node drops the description of a property whose type is another class (Swagger 2
 * cannot put one beside a $ref); metadata's is the same sentence everywhere, so restore it.
 */
const STANDARD_DESCRIPTIONS: Record<string, string> = {
  V1ObjectMeta: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  V1ListMeta: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

/** `any` fields and what they really are. */
const ANY_FIELDS: Record<string, Record<string, string>> = {
  [`${META}.ManagedFieldsEntry`]: { fieldsV1: FIELDS_V1 },
  [`${META}.WatchEvent`]: { object: RAW_EXTENSION },
  // A CRD schema's free-form JSON and its "schema or bool/array" unions (custom JSON marshalling in Go).
  [`${APIEXTENSIONS}.JSONSchemaProps`]: {
    default: `${APIEXTENSIONS}.JSON`,
    example: `${APIEXTENSIONS}.JSON`,
    enum: `${APIEXTENSIONS}.JSON`,
    additionalProperties: `${APIEXTENSIONS}.JSONSchemaPropsOrBool`,
    additionalItems: `${APIEXTENSIONS}.JSONSchemaPropsOrBool`,
    items: `${APIEXTENSIONS}.JSONSchemaPropsOrArray`,
    dependencies: `${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`,
  },
  [`${APIEXTENSIONS}.CustomResourceSubresources`]: { status: `${APIEXTENSIONS}.CustomResourceSubresourceStatus` },
};

/** Definitions client-node has no class for: apimachinery's hand-serialised types. */
const BUILTIN_SCHEMAS: Record<string, Schema> = {
  [TIME]: { description: 'Time is a timestamp in RFC 3339 form (second precision), serialised as a string.', type: 'string', format: 'date-time' },
  [MICRO_TIME]: { description: 'MicroTime is a timestamp in RFC 3339 form with microsecond precision, serialised as a string.', type: 'string', format: 'date-time' },
  [QUANTITY]: {
    description: 'Quantity is a fixed-point number with an optional suffix: a binary SI suffix (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (n, u, m, "", k, M, G, T, P, E) or a decimal exponent (e3, E6). Examples: "100m", "1.5", "128Mi", "1e3". It is serialised as a string in canonical form.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [INT_OR_STRING]: {
    description: 'IntOrString holds an int32 or a string.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [FIELDS_V1]: {
    description: "FieldsV1 is a set of fields stored as a trie in JSON: each key is '.' (the field itself), 'f:<name>' (a struct field or map key), 'v:<value>' (a set item), 'i:<index>' (a list position) or 'k:<keys>' (a list item by its key fields). The format is defined by sigs.k8s.io/structured-merge-diff.",
    type: 'object',
  },
  [RAW_EXTENSION]: { description: 'RawExtension holds an embedded object of any kind, serialised as-is.', type: 'object' },
  [`${META}.Patch`]: { description: 'Patch gives a concrete name and type to the body of a PATCH request.', type: 'object' },
  // No type: these hold any JSON (or a schema, or a boolean), so nothing below them is pruned or checked.
  [`${APIEXTENSIONS}.JSON`]: {
    description: 'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
  },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrArray`]: {
    description: 'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.',
  },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrBool`]: {
    description: 'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
  },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`]: { description: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.' },
  [`${APIEXTENSIONS}.CustomResourceSubresourceStatus`]: {
    description:
      'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource. When set, * exposes a /status subresource for the custom resource * PUT requests to the /status subresource take a custom resource object, and ignore changes to anything except the status stanza * PUT/POST/PATCH requests to the custom resource ignore changes to the status stanza',
    type: 'object',
  },
};

// ---------------------------------------------------------------- reading client-node

const models = (await import('@kubernetes/client-node')) as unknown as Record<string, ModelClass | undefined>;

function attributes(cls: string): Attribute[] {
  const attrs = models[cls]?.attributeTypeMap;
  if (!attrs) throw new Error(`client-node has no model class ${cls}`);
  return attrs;
}

interface Docs { description?: string; properties: Map<string, { description?: string; optional: boolean }> }

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1').trim();
}

function jsDocOf(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  const text = last ? ts.getTextOfJSDocComment(last.comment) : undefined;
  return text ? unescape(text) : undefined;
}

/** Class and property descriptions, and which properties are optional, from the class's .d.ts. */
function readDocs(cls: string): Docs {
  const file = join(modelsDir, `${cls}.d.ts`);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const docs: Docs = { properties: new Map() };
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== cls) return;
    docs.description = jsDocOf(node);
    for (const member of node.members) {
      if (!ts.isPropertyDeclaration(member)) continue;
      if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
      const name = ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : undefined;
      if (name) docs.properties.set(name, { description: jsDocOf(member), optional: !!member.questionToken });
    }
  });
  return docs;
}

/** Class name -> packages of the client-node API classes that use it in an operation. */
function apiUsers(): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>();
  for (const file of readdirSync(apisDir)) {
    const match = /^([A-Z][A-Za-z]*)(V\d+(?:alpha\d+|beta\d+)?)Api\.d\.ts$/.exec(file);
    if (!match) continue;
    const [, groupWords, version] = match;
    const text = readFileSync(join(apisDir, file), 'utf8');
    const pkg = `${groupPackage(groupWords!)}.${version!.toLowerCase()}`;
    for (const [, used] of text.matchAll(/import \{ (\w+) \}/g)) {
      if (!models[used!]?.attributeTypeMap) continue;
      const set = users.get(used!) ?? new Set<string>();
      set.add(pkg);
      users.set(used!, set);
    }
  }
  return users;
}

function groupPackage(groupWords: string): string {
  const lower = groupWords.toLowerCase();
  const segment = GROUP_PACKAGES[lower] ?? lower;
  if (segment === 'apiextensions') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  if (segment === 'apiregistration') return 'io.k8s.kube-aggregator.pkg.apis.apiregistration';
  return `io.k8s.api.${segment}`;
}

// ---------------------------------------------------------------- naming

const PREFIXED = /^([A-Z][a-z]+)(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;
const UNPREFIXED = /^(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

/**
 * The Kubernetes package of a class. Prefixed names (CoreV1Event, EventsV1Event) say it;
 * V1 names are meta types, top-level kinds of the API that uses them, or nested types that
 * live with the kinds that reference them (core wins: other groups reuse core types, never
 * the reverse).
 */
function packageOf(cls: string, users: Map<string, Set<string>>, referrers: Map<string, Set<string>>, seen = new Set<string>()): Set<string> {
  if (PACKAGE_OVERRIDES[cls]) return new Set([PACKAGE_OVERRIDES[cls]]);
  const prefixed = PREFIXED.exec(cls);
  if (prefixed) return new Set([`${groupPackage(prefixed[1]!)}.${prefixed[2]!.toLowerCase()}`]);
  const plain = UNPREFIXED.exec(cls);
  if (!plain) throw new Error(`cannot name client-node class ${cls}`);
  if (plain[1] === 'V1' && META_TYPES.has(plain[2]!)) return new Set([META]);
  const direct = users.get(cls);
  if (direct) return direct;
  const found = new Set<string>();
  seen.add(cls);
  for (const parent of referrers.get(cls) ?? []) {
    if (seen.has(parent)) continue;
    for (const pkg of packageOf(parent, users, referrers, seen)) found.add(pkg);
  }
  return found;
}

function buildNamer(): (cls: string) => string {
  const users = apiUsers();
  const referrers = new Map<string, Set<string>>();
  for (const [cls, model] of Object.entries(models)) {
    for (const attr of model?.attributeTypeMap ?? []) {
      for (const used of referencedClasses(attr.type)) {
        const set = referrers.get(used) ?? new Set<string>();
        set.add(cls);
        referrers.set(used, set);
      }
    }
  }
  const cache = new Map<string, string>();
  return (cls) => {
    const known = cache.get(cls);
    if (known) return known;
    let name = NAME_OVERRIDES[cls];
    if (!name) {
      const pkgs = [...packageOf(cls, users, referrers)];
      const pkg = pkgs.length === 1 ? pkgs[0] : pkgs.find((p) => p === 'io.k8s.api.core.v1');
      if (!pkg) throw new Error(`ambiguous package for ${cls}: ${pkgs.join(', ') || 'none'}`);
      name = `${pkg}.${(PREFIXED.exec(cls)?.[3] ?? UNPREFIXED.exec(cls)![2])}`;
    }
    cache.set(cls, name);
    return name;
  };
}

function referencedClasses(type: string): string[] {
  return [...type.matchAll(/\b([A-Z][A-Za-z0-9]*V\d\w*|V\d\w*|VersionInfo)\b/g)]
    .map((m) => m[1]!)
    .filter((c) => models[c]?.attributeTypeMap);
}

// ---------------------------------------------------------------- schemas

const refTo = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** A schema that refers to another definition, with allOf when it carries siblings (as kube-openapi does). */
function withRef(name: string, extra: Schema): Schema {
  return Object.keys(extra).length === 0 ? refTo(name) : { allOf: [refTo(name)], ...extra };
}

function main(): void {
  const defName = buildNamer();
  const definitions: Record<string, Schema> = {};
  const queue = [...ROOTS];
  const done = new Set<string>();
  const needed = new Set<string>([`${META}.Patch`]);

  /** Schema of a value of client-node type `type`; `inner` marks array items and map values. */
  function typeSchema(type: string, format: string, owner: string, prop: string, inner: boolean): Schema {
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return { type: 'array', items: typeSchema(array[1]!, format, owner, prop, true) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { type: 'object', additionalProperties: typeSchema(map[1]!, format, owner, prop, true) };
    const special = specialRef(type, format, owner, prop);
    if (special) {
      needed.add(special);
      return refTo(special);
    }
    if (models[type]?.attributeTypeMap) {
      queue.push(type);
      return inner ? { allOf: [refTo(defName(type))], default: {} } : refTo(defName(type));
    }
    if (type === 'string') return { type: 'string', ...(format ? { format } : {}), ...(inner ? { default: '' } : {}) };
    if (type === 'boolean') return { type: 'boolean', ...(inner ? { default: false } : {}) };
    if (type === 'number') {
      const integer = format === 'int32' || format === 'int64';
      return { type: integer ? 'integer' : 'number', ...(format ? { format } : {}), ...(inner ? { default: 0 } : {}) };
    }
    if (type === 'any') return { type: 'object' };
    throw new Error(`${owner}.${prop}: unknown client-node type ${type}`);
  }

  function specialRef(type: string, format: string, owner: string, prop: string): string | undefined {
    if (type === 'V1MicroTime' || (type === 'Date' && format === 'date-time-micro')) return MICRO_TIME;
    if (type === 'Date') return TIME;
    if (type === 'IntOrString') return INT_OR_STRING;
    if (type === 'string' && QUANTITY_FIELDS[owner]?.includes(prop)) return QUANTITY;
    if (type === 'any') return ANY_FIELDS[owner]?.[prop];
    return undefined;
  }

  while (queue.length > 0) {
    const cls = queue.shift()!;
    if (done.has(cls)) continue;
    done.add(cls);
    const name = defName(cls);
    const docs = readDocs(cls);
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    const attrs = attributes(cls);
    const kind = attrs.some((a) => a.baseName === 'apiVersion') && attrs.some((a) => a.baseName === 'kind') ? name.split('.').pop()! : undefined;
    for (const attr of attrs) {
      const doc = docs.properties.get(attr.name);
      const schema = typeSchema(attr.type, attr.format, name, attr.baseName, false);
      const extra: Schema = {};
      let description: string | undefined = doc?.description ?? STANDARD_DESCRIPTIONS[attr.type] ?? (kind ? kindFieldDescription(attr.baseName, kind) : undefined);
      // client-node puts IntOrString's own description on its fields, not the field's: keep it for the type.
      if (attr.type === 'IntOrString' && description?.startsWith('IntOrString is')) {
        (BUILTIN_SCHEMAS[INT_OR_STRING] as Schema).description = description;
        description = undefined;
      }
      if (description) extra.description = description;
      if (!doc?.optional) required.push(attr.baseName);
      const ref = typeof schema.$ref === 'string' ? schema.$ref.slice('#/components/schemas/'.length) : undefined;
      // Kubernetes gives embedded (non-pointer) structs an empty default; metadata, spec and status are.
      if (ref && ['metadata', 'spec', 'status'].includes(attr.baseName) && !BUILTIN_SCHEMAS[ref]) extra.default = {};
      if (!ref && !doc?.optional && schema.type !== 'array' && schema.type !== 'object') {
        extra.default = schema.type === 'string' ? '' : schema.type === 'boolean' ? false : 0;
      }
      Object.assign(extra, PROPERTY_EXTENSIONS[name]?.[attr.baseName]);
      properties[attr.baseName] = ref ? withRef(ref, extra) : { ...schema, ...extra };
    }
    const def: Schema = {};
    if (docs.description) def.description = docs.description;
    if (Object.keys(properties).length > 0) def.properties = properties;
    if (required.length > 0) def.required = required;
    def.type = 'object';
    Object.assign(def, TYPE_EXTENSIONS[name]);
    const gvk = groupVersionKind(name, properties);
    if (gvk) def['x-kubernetes-group-version-kind'] = [gvk];
    definitions[name] = def;
  }
  for (const name of needed) definitions[name] = BUILTIN_SCHEMAS[name]!;
  // DeleteOptions and WatchEvent are registered in every group-version (meta's "unversioned" kinds).
  const groupVersions = new Map<string, Schema>();
  for (const def of Object.values(definitions)) {
    for (const gvk of (def['x-kubernetes-group-version-kind'] as Schema[] | undefined) ?? []) {
      groupVersions.set(`${gvk.group}/${gvk.version}`, { group: gvk.group, version: gvk.version });
    }
  }
  const sortedGVs = [...groupVersions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, gv]) => gv);
  for (const kind of ['DeleteOptions', 'WatchEvent']) {
    definitions[`${META}.${kind}`]!['x-kubernetes-group-version-kind'] = sortedGVs.map((gv) => ({ group: gv.group, kind, version: gv.version }));
  }
  checkTables(definitions);

  const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
  writeFileSync(outFile, `${JSON.stringify(sorted)}\n`);
  console.log(`wrote ${Object.keys(sorted).length} definitions to ${outFile}`);
}

/** A kind's spec and status lose their descriptions in client-node too; say what they are, in the API conventions' words. */
function kindFieldDescription(field: string, kind: string): string | undefined {
  const conventions = 'More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status';
  if (field === 'spec') return `Spec defines the desired behavior of the ${kind}. ${conventions}`;
  if (field === 'status') return `Status is the most recently observed status of the ${kind}. Populated by the system. Read-only. ${conventions}`;
  return undefined;
}

/** A definition is a kind when it has apiVersion and kind properties (Kubernetes' TypeMeta). */
function groupVersionKind(name: string, properties: Record<string, Schema>): Schema | undefined {
  if (!properties.apiVersion || !properties.kind) return undefined;
  const match =
    /^io\.k8s\.api\.([a-z]+)\.(v\w+)\.(\w+)$/.exec(name) ??
    /^io\.k8s\.apimachinery\.pkg\.apis\.(meta)\.(v1)\.(\w+)$/.exec(name) ??
    /^io\.k8s\.apiextensions-apiserver\.pkg\.apis\.(apiextensions)\.(v\w+)\.(\w+)$/.exec(name);
  if (!match) return undefined;
  const [, pkg, version, kind] = match;
  const group = pkg === 'core' || pkg === 'meta' ? '' : KIND_GROUPS[pkg!] ?? `${pkg}.k8s.io`;
  return { group, kind, version };
}

/** Go package -> API group, where the group is not <package>.k8s.io. */
const KIND_GROUPS: Record<string, string> = { apps: 'apps', batch: 'batch', autoscaling: 'autoscaling', policy: 'policy', extensions: 'extensions', apiextensions: 'apiextensions.k8s.io', rbac: 'rbac.authorization.k8s.io' };

/** Every entry of the hand-written tables must name a definition and property we emit. */
function checkTables(definitions: Record<string, Schema>): void {
  for (const [def, props] of Object.entries(PROPERTY_EXTENSIONS)) {
    const schema = definitions[def];
    if (!schema) throw new Error(`patch-metadata: no definition ${def}`);
    const properties = schema.properties as Record<string, Schema>;
    for (const prop of Object.keys(props)) {
      if (!properties[prop]) throw new Error(`patch-metadata: ${def} has no property ${prop}`);
    }
  }
  for (const def of Object.keys(TYPE_EXTENSIONS)) {
    if (!definitions[def]) throw new Error(`patch-metadata: no definition ${def}`);
  }
  for (const [def, props] of Object.entries(QUANTITY_FIELDS)) {
    const properties = definitions[def]?.properties as Record<string, Schema> | undefined;
    for (const prop of props) if (!properties?.[prop]) throw new Error(`quantity fields: ${def}.${prop} not emitted`);
  }
}

main();
