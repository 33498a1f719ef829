// Field tables of the protobuf messages kubesim decodes: for each message of k8s.io/api and
// k8s.io/apimachinery (their generated.proto files), field number -> JSON name and type, plus
// what Go's encoding/json needs to write the object as kube-apiserver would: whether the Go
// field is a pointer (a zero value that was sent is kept) and whether its json tag lacks
// omitempty (a zero value is written anyway).
//
// The tables are written compactly, one string per message, a comma-separated list of
// `<number> <jsonName> <type>` in the Go struct's field order (the order JSON is written in):
//   type   string | bytes | int32 | int64 | bool | a message name | map[string]<type>
//   []T    repeated             *T   a Go pointer           T!   a Go value without omitempty
//   the name `...` marks a struct embedded with `json:",inline"`: its fields join the parent's.
import { appsMessages } from './messages-apps.js';
import { authenticationMessages } from './messages-authentication.js';
import { batchMessages } from './messages-batch.js';
import { coordinationEventsMessages } from './messages-coordination-events.js';
import { coreMessages } from './messages-core.js';
import { corePodMessages } from './messages-core-pod.js';
import { coreVolumeMessages } from './messages-core-volume.js';
import { metaMessages } from './messages-meta.js';
import { rbacAuthorizationMessages } from './messages-rbac-authorization.js';

export type ScalarType = 'string' | 'bytes' | 'int32' | 'int64' | 'bool';
export type MessageType = `message:${string}`;
export type FieldType = ScalarType | MessageType | `map<string,${ScalarType | MessageType}>`;

export interface FieldSpec {
  number: number;
  /** The JSON name (the Go field's json tag); '' for an inline embedded struct. */
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** A Go pointer: present on the wire means set, so even a zero value is written. */
  pointer?: boolean;
  /** A Go value whose json tag has no omitempty: its zero value is written too. */
  keepZero?: boolean;
  /** A struct embedded with `json:",inline"`. */
  inline?: boolean;
}

export interface MessageSpec {
  name: string;
  fields: readonly FieldSpec[];
  byNumber: ReadonlyMap<number, FieldSpec>;
}

/** One group's tables in the compact notation above, keyed by message name. */
export type MessageSources = Readonly<Record<string, string>>;

/**
 * Messages whose Go types marshal their own JSON (a string or a number, not an object):
 * metav1.Time and MicroTime {seconds, nanos}, resource.Quantity {string},
 * intstr.IntOrString {type, intVal, strVal} and metav1.FieldsV1 {Raw}.
 */
const wellKnownMessages: MessageSources = {
  Time: '1 seconds int64!, 2 nanos int32!',
  MicroTime: '1 seconds int64!, 2 nanos int32!',
  Quantity: '1 string string!',
  IntOrString: '1 type int64!, 2 intVal int32!, 3 strVal string!',
  FieldsV1: '1 Raw bytes',
};
export const wellKnownMessageNames: ReadonlySet<string> = new Set(Object.keys(wellKnownMessages));

const SCALARS: ReadonlySet<string> = new Set(['string', 'bytes', 'int32', 'int64', 'bool']);
const FIELD = /^(\d+) (\.\.\.|[A-Za-z][A-Za-z0-9]*) (\*)?(\[\])?(map\[string\])?([A-Za-z][A-Za-z0-9.]*)(!)?$/;

function baseType(name: string): ScalarType | MessageType {
  return SCALARS.has(name) ? (name as ScalarType) : `message:${name}`;
}

/** Parses one message's compact field list; a malformed entry is a bug in a table, so it throws. */
export function parseMessage(name: string, source: string): MessageSpec {
  const fields: FieldSpec[] = [];
  for (const entry of source.split(',').map((s) => s.trim().replace(/\s+/g, ' '))) {
    const m = FIELD.exec(entry);
    if (!m) throw new Error(`protobuf table ${name}: cannot parse field "${entry}"`);
    const [, number, jsonName, pointer, repeated, map, base, keepZero] = m;
    const field: FieldSpec = {
      number: Number(number),
      name: jsonName === '...' ? '' : jsonName!,
      type: map ? `map<string,${baseType(base!)}>` : baseType(base!),
    };
    if (repeated) field.repeated = true;
    if (pointer) field.pointer = true;
    if (keepZero) field.keepZero = true;
    if (jsonName === '...') field.inline = true;
    fields.push(field);
  }
  const byNumber = new Map(fields.map((f) => [f.number, f]));
  if (byNumber.size !== fields.length) throw new Error(`protobuf table ${name}: a field number appears twice`);
  return { name, fields, byNumber };
}

/** The message a field's type (or a map's value type) names, if it names one. */
export function messageNameOf(type: FieldType): string | undefined {
  const m = /^(?:map<string,)?message:([^>]+)>?$/.exec(type);
  return m ? m[1] : undefined;
}

function buildTable(groups: MessageSources[]): ReadonlyMap<string, MessageSpec> {
  const table = new Map<string, MessageSpec>();
  for (const group of groups) {
    for (const [name, source] of Object.entries(group)) {
      if (table.has(name)) throw new Error(`protobuf table: message ${name} is defined twice`);
      table.set(name, parseMessage(name, source));
    }
  }
  for (const spec of table.values()) {
    for (const f of spec.fields) {
      const ref = messageNameOf(f.type);
      if (ref !== undefined && !table.has(ref)) throw new Error(`protobuf table ${spec.name}: unknown message ${ref}`);
      if (f.inline && ref === undefined) throw new Error(`protobuf table ${spec.name}: inline field ${f.number} is not a message`);
    }
  }
  return table;
}

export const messageTable: ReadonlyMap<string, MessageSpec> = buildTable([
  wellKnownMessages,
  metaMessages,
  coreMessages,
  corePodMessages,
  coreVolumeMessages,
  appsMessages,
  batchMessages,
  coordinationEventsMessages,
  authenticationMessages,
  rbacAuthorizationMessages,
]);

/** The top-level message of each kind kubesim serves, by "<apiVersion>, Kind=<kind>". */
const kindMessages: ReadonlyMap<string, string> = new Map(Object.entries({
  'v1, Kind=Namespace': 'Namespace',
  'v1, Kind=Pod': 'Pod',
  'v1, Kind=ConfigMap': 'ConfigMap',
  'v1, Kind=Secret': 'Secret',
  'v1, Kind=Service': 'Service',
  'v1, Kind=ServiceAccount': 'ServiceAccount',
  'v1, Kind=Endpoints': 'Endpoints',
  'v1, Kind=Event': 'Event',
  'v1, Kind=Node': 'Node',
  'v1, Kind=ResourceQuota': 'ResourceQuota',
  'events.k8s.io/v1, Kind=Event': 'events.Event',
  'coordination.k8s.io/v1, Kind=Lease': 'Lease',
  'apps/v1, Kind=Deployment': 'Deployment',
  'apps/v1, Kind=ReplicaSet': 'ReplicaSet',
  'apps/v1, Kind=StatefulSet': 'StatefulSet',
  'apps/v1, Kind=DaemonSet': 'DaemonSet',
  'batch/v1, Kind=Job': 'Job',
  'batch/v1, Kind=CronJob': 'CronJob',
  'rbac.authorization.k8s.io/v1, Kind=Role': 'Role',
  'rbac.authorization.k8s.io/v1, Kind=ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1, Kind=RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1, Kind=ClusterRoleBinding': 'ClusterRoleBinding',
  'authorization.k8s.io/v1, Kind=SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'authorization.k8s.io/v1, Kind=SelfSubjectRulesReview': 'SelfSubjectRulesReview',
  'authorization.k8s.io/v1, Kind=SubjectAccessReview': 'SubjectAccessReview',
  'authorization.k8s.io/v1, Kind=LocalSubjectAccessReview': 'SubjectAccessReview',
  // The scale subresource's body.
  'autoscaling/v1, Kind=Scale': 'Scale',
  'authentication.k8s.io/v1, Kind=TokenRequest': 'TokenRequest',
  'authentication.k8s.io/v1, Kind=TokenReview': 'TokenReview',
  'authentication.k8s.io/v1, Kind=SelfSubjectReview': 'SelfSubjectReview',
  'authentication.k8s.io/v1beta1, Kind=SelfSubjectReview': 'SelfSubjectReview',
  'authentication.k8s.io/v1alpha1, Kind=SelfSubjectReview': 'SelfSubjectReview',
}));

/**
 * Option kinds that metav1.AddToGroupVersion registers in every group version: a typed
 * client sends its DeleteOptions under its own apiVersion (apps/v1, batch/v1, ...).
 */
const everyVersionKinds: ReadonlyMap<string, string> = new Map([['DeleteOptions', 'DeleteOptions']]);

export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  const name = kindMessages.get(`${apiVersion}, Kind=${kind}`) ?? everyVersionKinds.get(kind);
  return name === undefined ? undefined : messageTable.get(name);
}
