// What the `crd` scenario sends: a CRD whose spec schema declares 200 fields of the kinds real
// operators' CRDs have (strings with pattern and maxLength, bounded integers, enums, nested
// objects, x-kubernetes-list-type=map lists) with CEL rules at the spec and field level, some of
// them transition rules (oldSelf) that only updates run; the same CRD with a trivial schema
// (x-kubernetes-preserve-unknown-fields) as the baseline; and custom resources that fill every field.

export const BENCH_GROUP = 'bench.kubesim.dev';
export const BENCH_NAMESPACE = 'bench-crd';

type Schema = Record<string, unknown>;

const STRINGS = 60;
const INTEGERS = 40;
const ENUMS = 20;
const BOOLEANS = 16;
const NESTED = 8; // 8 objects x 5 fields
const LISTS = 4; // 4 map lists x 3 item fields
const MODES = ['Fast', 'Safe', 'Off'];

const nested: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 63, pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    enabled: { type: 'boolean' },
    mode: { type: 'string', enum: MODES },
    weight: { type: 'integer', minimum: 0, maximum: 100 },
  },
  required: ['name'],
};

const listItem: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 63, pattern: '^[a-z][-a-z0-9]*$' },
    value: { type: 'string', maxLength: 256 },
    count: { type: 'integer', minimum: 0, maximum: 1_000_000 },
  },
  required: ['name'],
};

/** The 200 fields of spec, and the CEL rules on it. */
function specSchema(): Schema {
  const properties: Record<string, Schema> = {};
  for (let i = 0; i < STRINGS; i++) properties[`s${i}`] = { type: 'string', maxLength: 63, pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' };
  for (let i = 0; i < INTEGERS; i++) properties[`i${i}`] = { type: 'integer', minimum: 0, maximum: 1_000_000 };
  for (let i = 0; i < ENUMS; i++) properties[`e${i}`] = { type: 'string', enum: MODES };
  for (let i = 0; i < BOOLEANS; i++) properties[`b${i}`] = { type: 'boolean' };
  for (let i = 0; i < NESTED; i++) properties[`n${i}`] = nested;
  for (let i = 0; i < LISTS; i++) {
    properties[`l${i}`] = { type: 'array', maxItems: 32, items: listItem, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] };
  }
  // Field-level rules: an immutable string and a counter that may only grow (transition rules).
  properties.s1 = { ...properties.s1, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 's1 is immutable' }] };
  properties.i2 = { ...properties.i2, 'x-kubernetes-validations': [{ rule: 'self >= oldSelf', message: 'i2 may not decrease' }] };
  properties.l0 = { ...properties.l0, 'x-kubernetes-validations': [{ rule: 'self.all(x, x.count <= 1000000 && size(x.name) > 0)' }] };
  return {
    type: 'object',
    properties,
    required: ['s0', 'i0', 'i1'],
    'x-kubernetes-validations': [
      { rule: 'self.i0 <= self.i1', message: 'i0 must not exceed i1' },
      { rule: 'size(self.s0) + size(self.s2) <= 120' },
      { rule: '!has(self.n0) || self.n0.port > 0 && self.n0.weight <= 100' },
      { rule: 'self.l1.all(x, x.name.startsWith("k"))', message: 'l1 names start with k' },
      { rule: 'has(self.e0) && self.e0 != "Off" || !has(self.b0) || !self.b0', messageExpression: '"e0 is " + self.e0' },
      { rule: 'self.i3 >= oldSelf.i3 || self.b1', message: 'i3 may decrease only when b1 is set' },
    ],
  };
}

/** Counted for the scenario's description and its test: the spec's fields, nested ones included. */
export const SPEC_FIELDS = STRINGS + INTEGERS + ENUMS + BOOLEANS + NESTED * 6 + LISTS * 4;

export function benchCRD(options: { plural: string; trivial: boolean }) {
  const { plural } = options;
  const kind = `${plural[0]!.toUpperCase()}${plural.slice(1, -1)}`;
  const openAPIV3Schema: Schema = options.trivial
    ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
    : {
        type: 'object',
        // A description of its own, so no two CRDs have the same schema text: kubesim reuses the
        // compiled validator of an identical schema (a test suite installing its CRDs per file).
        description: `${kind}: ${SPEC_FIELDS} fields and CEL rules`,
        properties: { spec: specSchema(), status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${BENCH_GROUP}` },
    spec: {
      group: BENCH_GROUP,
      scope: 'Namespaced',
      names: { plural, singular: plural.slice(0, -1), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }],
    },
  };
}

/** A custom resource with every spec field set to a valid value; `revision` varies what updates change. */
export function benchObject(options: { kind: string; name: string; revision?: number }) {
  const r = options.revision ?? 0;
  const spec: Record<string, unknown> = {};
  for (let i = 0; i < STRINGS; i++) spec[`s${i}`] = `value-${i}-abc`;
  for (let i = 0; i < INTEGERS; i++) spec[`i${i}`] = i * 10 + r;
  spec.i0 = 1;
  for (let i = 0; i < ENUMS; i++) spec[`e${i}`] = MODES[(i + r) % 2];
  for (let i = 0; i < BOOLEANS; i++) spec[`b${i}`] = (i + r) % 2 === 0;
  for (let i = 0; i < NESTED; i++) spec[`n${i}`] = { name: `nested-${i}`, port: 8000 + i, enabled: true, mode: MODES[i % 3], weight: (i * 7 + r) % 100 };
  for (let i = 0; i < LISTS; i++) {
    spec[`l${i}`] = Array.from({ length: 4 }, (_, j) => ({ name: `k${i}-${j}`, value: `v${r}`, count: j * 100 + r }));
  }
  return { apiVersion: `${BENCH_GROUP}/v1`, kind: options.kind, metadata: { name: options.name, namespace: BENCH_NAMESPACE }, spec };
}
