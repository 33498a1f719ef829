// The `paths` of an /openapi/v3 group-version document: one entry per REST path a resource
// serves, with Kubernetes' operation ids, x-kubernetes-action and x-kubernetes-group-version-kind
// (k8s.io/apiserver pkg/endpoints/installer.go registers the routes, pkg/endpoints/openapi
// names them). kubectl reads these: `explain` finds a resource's GVK from its paths, `apply`
// and `create` look for the fieldValidation parameter on the kind's PATCH operation.
//
// Custom resources get the routes apiextensions' OpenAPI builder lists for them
// (pkg/controller/openapi/builder/builder.go): no strategic merge patch, no deprecated /watch/
// paths, and the custom kind's GVK on every operation, /scale's included.
import type { ResourceType, Verb } from '../registry/strategy.js';
import { SCHEMA_REF_PREFIX } from './definitions.js';

type JSONObject = Record<string, unknown>;
export interface GroupVersionKind { group: string; version: string; kind: string }

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const SCALE_DEFINITION = 'io.k8s.api.autoscaling.v1.Scale';
const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', kind: 'Scale', version: 'v1' };

// ---------------------------------------------------------------- parameters

function param(name: string, where: 'query' | 'path', type: string, description: string): JSONObject {
  return { description, in: where, name, ...(where === 'path' ? { required: true } : {}), schema: { type } };
}

const P = {
  namespace: param('namespace', 'path', 'string', 'object name and auth scope, such as for teams and projects'),
  pretty: param('pretty', 'query', 'string', "If 'true', then the output is pretty printed."),
  allowWatchBookmarks: param('allowWatchBookmarks', 'query', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers may send bookmarks at their discretion; if this is not a watch, this field is ignored.'),
  continue: param('continue', 'query', 'string', 'The continue token returned by a previous list call with the same query, to fetch the next chunk of results. A token that has expired is answered with 410 Gone.'),
  fieldSelector: param('fieldSelector', 'query', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: param('labelSelector', 'query', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: param('limit', 'query', 'integer', 'The maximum number of items to return. When more exist, the list metadata carries a continue token for the next chunk. Not supported with watch.'),
  resourceVersion: param('resourceVersion', 'query', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.'),
  resourceVersionMatch: param('resourceVersionMatch', 'query', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls (NotOlderThan or Exact).'),
  sendInitialEvents: param('sendInitialEvents', 'query', 'boolean', 'With watch=true, start the stream with synthetic ADDED events for the current state, followed by a BOOKMARK annotated "k8s.io/initial-events-end". Requires resourceVersionMatch=NotOlderThan.'),
  timeoutSeconds: param('timeoutSeconds', 'query', 'integer', 'Timeout for the list/watch call, regardless of any activity or inactivity.'),
  watch: param('watch', 'query', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.'),
  dryRun: param('dryRun', 'query', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: param('fieldManager', 'query', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. At most 128 printable characters.'),
  fieldManagerPatch: param('fieldManager', 'query', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. At most 128 printable characters. Required for apply requests (application/apply-patch), optional for the other patch types.'),
  fieldValidation: param('fieldValidation', 'query', 'string', 'fieldValidation instructs the server how to handle unknown or duplicate fields in the request body (POST/PUT/PATCH): - Ignore: drop unknown fields silently and keep the last of duplicates. - Warn: the same, with a Warning header for each (the default). - Strict: fail the request with a BadRequest error listing them.'),
  force: param('force', 'query', 'boolean', 'Force "forces" Apply requests: the caller re-acquires fields owned by other managers. Must be unset for non-apply patch requests.'),
  gracePeriodSeconds: param('gracePeriodSeconds', 'query', 'integer', 'The duration in seconds before the object should be deleted. Zero means delete immediately; unset uses the default grace period of the kind.'),
  ignoreStoreReadError: param('ignoreStoreReadErrorWithClusterBreakingPotential', 'query', 'boolean', 'Delete an object that cannot be read back from storage, bypassing finalizers and preconditions. Use only if you really know what you are doing.'),
  orphanDependents: param('orphanDependents', 'query', 'boolean', "Deprecated: use propagationPolicy. Whether dependents are orphaned (adds or removes the \"orphan\" finalizer)."),
  propagationPolicy: param('propagationPolicy', 'query', 'string', "Whether and how garbage collection will be performed: 'Orphan' leaves dependents; 'Background' deletes them in the background; 'Foreground' deletes them before the owner."),
};

function nameParam(kind: string): JSONObject {
  return param('name', 'path', 'string', `name of the ${kind}`);
}

const LOG_PARAMS = [
  param('container', 'query', 'string', 'The container for which to stream logs. Defaults to only container if there is one container in the pod.'),
  param('follow', 'query', 'boolean', 'Follow the log stream of the pod. Defaults to false.'),
  param('insecureSkipTLSVerifyBackend', 'query', 'boolean', "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate of the backend it is connecting to."),
  param('limitBytes', 'query', 'integer', 'If set, the number of bytes to read from the server before terminating the log output. This may not display a complete final line of logging, and may return slightly more or slightly less than the specified limit.'),
  param('previous', 'query', 'boolean', 'Return previous terminated container logs. Defaults to false.'),
  param('sinceSeconds', 'query', 'integer', 'A relative time in seconds before the current time from which to show logs. Only one of sinceSeconds or sinceTime may be specified.'),
  param('tailLines', 'query', 'integer', 'If set, the number of lines from the end of the logs to show. If not specified, logs are shown from the creation of the container or sinceSeconds or sinceTime.'),
  param('timestamps', 'query', 'boolean', 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.'),
];
const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManagerPatch, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];
const DELETE_COLLECTION_PARAMS = [
  P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.ignoreStoreReadError, P.labelSelector, P.limit,
  P.orphanDependents, P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds,
];

// ---------------------------------------------------------------- bodies and responses

const ref = (definition: string) => ({ $ref: `${SCHEMA_REF_PREFIX}${definition}` });
const RESPONSE_TYPES = ['application/json', 'application/yaml'];
const STREAM_TYPES = ['application/json', 'application/json;stream=watch', 'application/yaml'];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
/** What a custom resource accepts: strategic merge patch needs Go struct tags a CRD has not. */
const CUSTOM_RESOURCE_PATCH_TYPES = PATCH_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json');

function content(definition: string, types = RESPONSE_TYPES): JSONObject {
  return Object.fromEntries(types.map((t) => [t, { schema: ref(definition) }]));
}

function responses(definition: string, codes: Array<'200' | '201' | '202'>, types = RESPONSE_TYPES): JSONObject {
  const text = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  const out: JSONObject = {};
  for (const code of codes) out[code] = { content: content(definition, types), description: text[code] };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

const bodyOf = (definition: string, types = ['*/*'], required = true): JSONObject => ({ content: content(definition, types), required });

// ---------------------------------------------------------------- naming

/** "apps" -> "Apps", "events.k8s.io" -> "Events", "rbac.authorization.k8s.io" -> "RbacAuthorization", "" -> "Core". */
export function groupIdentifier(group: string): string {
  const trimmed = (group || 'core').replace(/\.k8s\.io$/, '');
  return trimmed.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** The operation id prefix and tag of a group-version: "AppsV1" and "apps_v1". */
export function groupVersionNames(group: string, version: string): { prefix: string; tag: string } {
  const id = groupIdentifier(group);
  const v = version[0]!.toUpperCase() + version.slice(1);
  return { prefix: `${id}${v}`, tag: `${id[0]!.toLowerCase()}${id.slice(1)}_${version}` };
}

export function urlPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

// ---------------------------------------------------------------- paths of one resource

interface OperationSpec {
  verb: string;
  action: string;
  description: string;
  gvk: GroupVersionKind;
  parameters?: JSONObject[];
  requestBody?: JSONObject;
  responses: JSONObject;
}

/** The paths of one resource (collection, item, status/scale subresources, watch), keyed by path. */
export function resourcePaths(rt: ResourceType, definition: string, listDefinition: string | undefined): Record<string, JSONObject> {
  const { prefix, tag } = groupVersionNames(rt.group, rt.version);
  const gvk: GroupVersionKind = { group: rt.group, kind: rt.kind, version: rt.version };
  const can = (v: Verb) => rt.verbs.includes(v);
  const scope = rt.namespaced ? 'Namespaced' : '';
  const base = urlPrefix(rt.group, rt.version);
  const nsSegment = rt.namespaced ? '/namespaces/{namespace}' : '';
  const scopeParams = rt.namespaced ? [P.namespace] : [];
  const itemParams = [nameParam(rt.kind), ...scopeParams, P.pretty];
  const custom = rt.isCustomResource === true;
  const patchTypes = custom ? CUSTOM_RESOURCE_PATCH_TYPES : PATCH_TYPES;
  const paths: Record<string, JSONObject> = {};

  const op = (name: string, spec: OperationSpec): [string, JSONObject] => [spec.verb, {
    description: spec.description,
    operationId: name,
    ...(spec.parameters?.length ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses: spec.responses,
    tags: [tag],
    'x-kubernetes-action': spec.action,
    'x-kubernetes-group-version-kind': spec.gvk,
  }];
  const addPath = (path: string, pathParams: JSONObject[], ops: Array<[string, JSONObject] | undefined>) => {
    const present = ops.filter((o): o is [string, JSONObject] => o !== undefined);
    if (present.length > 0) paths[path] = { ...Object.fromEntries(present), parameters: pathParams };
  };
  const opId = (verb: string, suffix = '') => `${verb}${prefix}${scope}${rt.kind}${suffix}`;

  // Collection: list, create, deletecollection.
  addPath(`${base}${nsSegment}/${rt.resource}`, [...scopeParams, P.pretty], [
    can('list') && listDefinition ? op(opId('list'), {
      verb: 'get', action: 'list', description: `list or watch objects of kind ${rt.kind}`, gvk,
      parameters: LIST_PARAMS, responses: responses(listDefinition, ['200'], STREAM_TYPES),
    }) : undefined,
    can('create') ? op(opId('create'), {
      verb: 'post', action: 'post', description: `create a ${rt.kind}`, gvk,
      parameters: WRITE_PARAMS, requestBody: bodyOf(definition), responses: responses(definition, ['200', '201', '202']),
    }) : undefined,
    can('deletecollection') ? op(`delete${prefix}Collection${scope}${rt.kind}`, {
      verb: 'delete', action: 'deletecollection', description: `delete collection of ${rt.kind}`, gvk,
      parameters: DELETE_COLLECTION_PARAMS, requestBody: bodyOf(`${META}.DeleteOptions`, ['*/*'], false), responses: responses(`${META}.Status`, ['200']),
    }) : undefined,
  ]);

  // Item: read, replace, patch, delete.
  const item = `${base}${nsSegment}/${rt.resource}/{name}`;
  addPath(item, itemParams, [
    can('get') ? op(opId('read'), { verb: 'get', action: 'get', description: `read the specified ${rt.kind}`, gvk, responses: responses(definition, ['200']) }) : undefined,
    can('update') ? op(opId('replace'), {
      verb: 'put', action: 'put', description: `replace the specified ${rt.kind}`, gvk,
      parameters: WRITE_PARAMS, requestBody: bodyOf(definition), responses: responses(definition, ['200', '201']),
    }) : undefined,
    can('patch') ? op(opId('patch'), {
      verb: 'patch', action: 'patch', description: `partially update the specified ${rt.kind}`, gvk,
      parameters: PATCH_PARAMS, requestBody: bodyOf(`${META}.Patch`, patchTypes), responses: responses(definition, ['200', '201']),
    }) : undefined,
    can('delete') ? op(opId('delete'), {
      verb: 'delete', action: 'delete', description: `delete a ${rt.kind}`, gvk,
      parameters: DELETE_PARAMS, requestBody: bodyOf(`${META}.DeleteOptions`, ['*/*'], false), responses: responses(`${META}.Status`, ['200', '202']),
    }) : undefined,
  ]);

  // Subresources: get, update and patch, the way the status and scale endpoints serve them.
  const subresource = (name: 'status' | 'scale', subDefinition: string, subGvk: GroupVersionKind) => {
    const title = name[0]!.toUpperCase() + name.slice(1);
    addPath(`${item}/${name}`, itemParams, [
      op(opId('read', title), { verb: 'get', action: 'get', description: `read ${name} of the specified ${rt.kind}`, gvk: subGvk, responses: responses(subDefinition, ['200']) }),
      op(opId('replace', title), {
        verb: 'put', action: 'put', description: `replace ${name} of the specified ${rt.kind}`, gvk: subGvk,
        parameters: WRITE_PARAMS, requestBody: bodyOf(subDefinition), responses: responses(subDefinition, ['200', '201']),
      }),
      op(opId('patch', title), {
        verb: 'patch', action: 'patch', description: `partially update ${name} of the specified ${rt.kind}`, gvk: subGvk,
        parameters: PATCH_PARAMS, requestBody: bodyOf(`${META}.Patch`, patchTypes), responses: responses(subDefinition, ['200', '201']),
      }),
    ]);
  };
  if (rt.subresources?.status) subresource('status', definition, gvk);
  if (rt.subresources?.scale) subresource('scale', SCALE_DEFINITION, custom ? gvk : SCALE_GVK);
  // PUT-only subresources (namespaces/finalize: replaceCoreV1NamespaceFinalize).
  for (const name of Object.keys(rt.strategy.subresourceUpdates ?? {})) {
    addPath(`${item}/${name}`, itemParams, [op(opId('replace', name[0]!.toUpperCase() + name.slice(1)), {
      verb: 'put', action: 'put', description: `replace ${name} of the specified ${rt.kind}`, gvk,
      parameters: WRITE_PARAMS, requestBody: bodyOf(definition), responses: responses(definition, ['200', '201']),
    })]);
  }
  if (rt.group === '' && rt.resource === 'pods') {
    // pods/log answers text/plain: a string schema, and the PodLogOptions fields as query parameters.
    addPath(`${item}/log`, [...LOG_PARAMS, ...itemParams].sort(byName), [op(opId('read', 'Log'), {
      verb: 'get', action: 'get', description: `read log of the specified ${rt.kind}`, gvk,
      responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } }, description: 'OK' }, '401': { description: 'Unauthorized' } },
    })]);
  }

  // Lists across all namespaces, and the deprecated /watch/ paths.
  const watchEvent = `${META}.WatchEvent`;
  if (rt.namespaced && can('list') && listDefinition) {
    addPath(`${base}/${rt.resource}`, [...LIST_PARAMS, P.pretty].sort(byName), [op(`list${prefix}${rt.kind}ForAllNamespaces`, {
      verb: 'get', action: 'list', description: `list or watch objects of kind ${rt.kind}`, gvk, responses: responses(listDefinition, ['200'], STREAM_TYPES),
    })]);
  }
  if (can('watch') && !custom) {
    const watchParams = (extra: JSONObject[]) => [...extra, ...LIST_PARAMS, P.pretty].sort(byName);
    const watchOp = (name: string, action: string, description: string) => op(name, {
      verb: 'get', action, description, gvk, responses: responses(watchEvent, ['200'], STREAM_TYPES),
    });
    addPath(`${base}/watch${nsSegment}/${rt.resource}`, watchParams(scopeParams), [
      watchOp(opId('watch', 'List'), 'watchlist', `watch individual changes to a list of ${rt.kind}. deprecated: use the 'watch' parameter with a list operation instead.`),
    ]);
    addPath(`${base}/watch${nsSegment}/${rt.resource}/{name}`, watchParams([nameParam(rt.kind), ...scopeParams]), [
      watchOp(opId('watch'), 'watch', `watch changes to an object of kind ${rt.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`),
    ]);
    if (rt.namespaced) {
      addPath(`${base}/watch/${rt.resource}`, watchParams([]), [
        watchOp(`watch${prefix}${rt.kind}ListForAllNamespaces`, 'watchlist', `watch individual changes to a list of ${rt.kind}. deprecated: use the 'watch' parameter with a list operation instead.`),
      ]);
    }
  }
  return paths;
}

function byName(a: JSONObject, b: JSONObject): number {
  const [x, y] = [String(a.name), String(b.name)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** GET <prefix>/: the group-version's APIResourceList. */
export function apiResourcesPath(group: string, version: string): Record<string, JSONObject> {
  const { prefix, tag } = groupVersionNames(group, version);
  return {
    [`${urlPrefix(group, version)}/`]: {
      get: {
        description: 'get available resources',
        operationId: `get${prefix}APIResources`,
        responses: responses(`${META}.APIResourceList`, ['200']),
        tags: [tag],
      },
    },
  };
}

/** A single GET operation for the discovery documents ("api", "apis", "apis/<group>", "version"). */
export function discoveryPath(path: string, operationId: string, description: string, definition: string, tag: string): Record<string, JSONObject> {
  return { [path]: { get: { description, operationId, responses: responses(definition, ['200']), tags: [tag] } } };
}
