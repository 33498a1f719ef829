// apiextensions.k8s.io/v1 CustomResourceDefinition: defaults, validation messages as
// kube-apiserver words them, update rules, the status subresource and printing.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkFields } from '../../../../src/apiserver/endpoints/field-validation.js';
import { invalid, isStatusError, type StatusError } from '../../../../src/apiserver/errors.js';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { servedVersions, storageVersionOf } from '../../../../src/apiserver/registry/builtin/apiextensions/crd-helpers.js';
import { VERSIONS_HINT } from '../../../../src/apiserver/registry/builtin/apiextensions/crd-validation.js';
import { create, find, NOW, resources, update, updateStatus } from './pipeline.js';

const rt = find(resources(), 'apiextensions.k8s.io', 'customresourcedefinitions');

/** The CronTab CRD of the Kubernetes documentation (Extend the Kubernetes API with CustomResourceDefinitions). */
const CRONTAB_YAML = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec:
                  type: string
                  pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
                image:
                  type: string
                replicas:
                  type: integer
                  minimum: 1
                  default: 1
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames:
    - ct
`;

const crontab = (): KubeObject => parse(CRONTAB_YAML) as KubeObject;

/** The CronTab CRD with `edit` applied to its (mutable, freshly parsed) spec. */
function crontabWith(edit: (spec: Record<string, any>, crd: KubeObject) => void): KubeObject {
  const crd = crontab();
  edit(crd.spec as Record<string, any>, crd);
  return crd;
}

const SCHEMA_PATH = 'spec.validation.openAPIV3Schema';
const twoStorageVersions = crontabWith((s) => s.versions.push({ ...s.versions[0], name: 'v2' }));

describe('CustomResourceDefinition resource', () => {
  it('is served as kube-apiserver serves it', () => {
    expect(rt).toMatchObject({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
      listKind: 'CustomResourceDefinitionList',
      singularName: 'customresourcedefinition',
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      namespaced: false,
      subresources: { status: true },
      openAPIDefinition: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    });
    expect(rt.strategy.allowUnconditionalUpdate).toBe(false);
  });

  it('prints NAME and CREATED AT (an RFC 3339 date, as kubectl get crd shows it)', () => {
    const { object } = create(rt, crontab());
    expect(rt.printer!.columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(rt.printer!.cells(object, NOW)).toEqual(['crontabs.stable.example.com', '2024-05-01T12:00:00Z']);
  });

  it('accepts the CronTab CRD and fills the defaults and initial status', () => {
    const { object, messages } = create(rt, crontab());
    expect(messages).toEqual([]);
    expect(object.spec).toMatchObject({ names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList' }, conversion: { strategy: 'None' } });
    expect(object.status).toEqual({ conditions: null, acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
  });

  it('defaults singular to the lower-cased kind', () => {
    const { object } = create(rt, crontabWith((s) => delete s.names.singular));
    expect((object.spec as any).names.singular).toBe('crontab');
  });

  it('ignores a status sent on create', () => {
    const { object } = create(rt, crontabWith((_, crd) => (crd.status = { storedVersions: ['v9'], acceptedNames: { plural: 'x', kind: 'X' } })));
    expect(object.status).toEqual({ conditions: null, acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
  });
});

describe('CustomResourceDefinition validation', () => {
  it.each<[string, KubeObject, string[]]>([
    [
      'a name that is not <plural>.<group>',
      crontabWith((_, crd) => (crd.metadata.name = 'crontab.stable.example.com')),
      ['metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group'],
    ],
    [
      'two storage versions',
      twoStorageVersions,
      [
        `spec.versions: Invalid value: ${JSON.stringify((twoStorageVersions.spec as Record<string, unknown>).versions)}: must have exactly one version marked as storage version`,
        'status.storedVersions: Invalid value: ["v1"]: must have the storage version v2',
      ],
    ],
    [
      'no versions',
      crontabWith((s) => (s.versions = [])),
      [`spec.versions: Invalid value: []: must have exactly one version marked as storage version\n${VERSIONS_HINT}`, 'status.storedVersions: Invalid value: null: must have at least one stored version'],
    ],
    [
      'a group without a dot, a bad scope, upper-case names',
      crontabWith((s) => Object.assign(s, { group: 'example', scope: 'Global', names: { plural: 'CronTabs', kind: 'CronTab', shortNames: ['c_t'] } })),
      [
        'metadata.name: Invalid value: "crontabs.stable.example.com": must be spec.names.plural+"."+spec.group',
        'spec.group: Invalid value: "example": should be a domain with at least one dot',
        'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
        `spec.names.plural: Invalid value: "CronTabs": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        `spec.names.shortNames[0]: Invalid value: "c_t": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'a version without a schema',
      crontabWith((s) => delete s.versions[0].schema),
      ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'],
    ],
    [
      'a non-structural schema (a field without a type)',
      crontabWith((s) => delete s.versions[0].schema.openAPIV3Schema.properties.spec.type),
      [`${SCHEMA_PATH}.properties[spec].type: Required value: must not be empty for specified object fields`],
    ],
    [
      'a non-structural schema in one of two versions (reported per version)',
      crontabWith((s) => {
        const v2 = structuredClone(s.versions[0]);
        Object.assign(v2, { name: 'v2', storage: false });
        delete v2.schema.openAPIV3Schema.properties.spec.properties.image.type;
        s.versions.push(v2);
      }),
      ['spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[image].type: Required value: must not be empty for specified object fields'],
    ],
    [
      'a default that does not validate',
      crontabWith((s) => (s.versions[0].schema.openAPIV3Schema.properties.spec.properties.replicas.default = 0)),
      [`${SCHEMA_PATH}.properties[spec].properties[replicas].default: Invalid value: 0:  in body should be greater than or equal to 1`],
    ],
    [
      'a CEL rule that does not compile',
      crontabWith((s) => (s.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule: 'self.replica > 0' }])),
      [
        `${SCHEMA_PATH}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.replica > 0", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:5: undefined field 'replica'\n | self.replica > 0\n | ....^`,
      ],
    ],
    [
      'webhook conversion without a webhook',
      crontabWith((s) => (s.conversion = { strategy: 'Webhook' })),
      ['spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook', 'spec.conversion.conversionReviewVersions: Required value'],
    ],
    [
      'printer columns and scale paths',
      crontabWith((s) => {
        s.versions[0].additionalPrinterColumns = [{ name: 'Spec', type: 'text', jsonPath: 'spec.cronSpec' }];
        s.versions[0].subresources = { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } };
      }),
      [
        'spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
        'spec.additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
        'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.cronSpec": must be a simple json path starting with .',
      ],
    ],
  ])('refuses %s', (_, crd, expected) => {
    expect(create(rt, crd).messages).toEqual(expected);
  });

  it('refuses the pre-v1 shape: strict decoding names the fields, otherwise the missing storage version (with a hint)', () => {
    // The apiextensions.k8s.io/v1beta1 tutorial shape, keys in the order kubectl sends them (sorted).
    const old = parse(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  names: {kind: CronTab, plural: crontabs, shortNames: [ct], singular: crontab}
  scope: Namespaced
  validation:
    openAPIV3Schema:
      type: object
      properties:
        spec: {type: object, properties: {cronSpec: {type: string}}}
  version: v1
`) as KubeObject;
    const raw = Buffer.from(JSON.stringify(old));
    let strictError: unknown;
    try {
      checkFields(rt, old, raw, 'application/json', 'Strict');
    } catch (e) {
      strictError = e;
    }
    expect(isStatusError(strictError)).toBe(true);
    expect((strictError as StatusError).status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: strict decoding error: unknown field "spec.validation", unknown field "spec.version"',
    });

    const { object, warnings } = checkFields(rt, old, raw, 'application/json', 'Warn');
    expect(warnings).toEqual(['unknown field "spec.validation"', 'unknown field "spec.version"']);
    const { errors, messages } = create(rt, object);
    expect(messages).toEqual([
      `spec.versions: Invalid value: null: must have exactly one version marked as storage version\n${VERSIONS_HINT}`,
      'status.storedVersions: Invalid value: null: must have at least one stored version',
    ]);
    // The Status keeps kube's wording first; kubectl prints each cause on its own line.
    const status = invalid({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }, 'crontabs.stable.example.com', errors).status;
    expect(status.message).toBe(
      `CustomResourceDefinition.apiextensions.k8s.io "crontabs.stable.example.com" is invalid: [spec.versions: Invalid value: null: must have exactly one version marked as storage version\n${VERSIONS_HINT}, status.storedVersions: Invalid value: null: must have at least one stored version]`,
    );
    expect(status.details?.causes?.[0]).toEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.versions',
      message: `Invalid value: null: must have exactly one version marked as storage version\n${VERSIONS_HINT}`,
    });
  });

  it('requires the approval annotation for groups under k8s.io', () => {
    const crd = crontabWith((s, c) => {
      s.group = 'stable.k8s.io';
      c.metadata.name = 'crontabs.stable.k8s.io';
    });
    expect(create(rt, crd).messages).toEqual([
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
    crd.metadata.annotations = { 'api-approved.kubernetes.io': 'unapproved, testing only' };
    expect(create(rt, crd).messages).toEqual([]);
  });
});

describe('CustomResourceDefinition updates', () => {
  const stored = (): KubeObject => create(rt, crontab()).object;
  const established = (crd: KubeObject): KubeObject => ({ ...crd, status: { ...(crd.status as object), conditions: [{ type: 'Established', status: 'True' }] } });

  it('keeps the stored status and records a new storage version', () => {
    const old = stored();
    const next = crontabWith((s) => {
      s.versions[0].storage = false;
      s.versions.push({ ...structuredClone(s.versions[0]), name: 'v2', storage: true });
    });
    next.status = { storedVersions: [] };
    const { object, messages } = update(rt, old, next);
    expect(messages).toEqual([]);
    expect((object.status as any).storedVersions).toEqual(['v1', 'v2']);
  });

  it('refuses to drop a version that is still in status.storedVersions', () => {
    const old = stored();
    const next = crontabWith((s) => (s.versions[0].name = 'v2'));
    expect(update(rt, old, next).messages).toEqual([
      'status.storedVersions[0]: Invalid value: "v1": missing from spec.versions; v1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from status.storedVersions',
    ]);
  });

  it('keeps group and plural, and scope and kind once established', () => {
    const old = stored();
    const next = crontabWith((s) => Object.assign(s, { scope: 'Cluster' }));
    expect(update(rt, old, next).messages).toEqual([]);
    expect(update(rt, established(old), next).messages).toEqual(['spec.scope: Invalid value: "Cluster": field is immutable']);
    const renamed = crontabWith((s) => (s.names.plural = 'crontabz'));
    expect(update(rt, old, renamed).messages).toEqual(['spec.names.plural: Invalid value: "crontabz": field is immutable']);
  });

  it('writes only status through customresourcedefinitions/status', () => {
    const old = stored();
    const body = crontabWith((s) => (s.group = 'other.example.com'));
    body.status = { acceptedNames: { plural: 'crontabs', kind: 'CronTab' }, storedVersions: ['v1'], conditions: [] };
    const { object, messages } = updateStatus(rt, old, body);
    expect(messages).toEqual([]);
    expect((object.spec as any).group).toBe('stable.example.com');
    expect((object.status as any).acceptedNames.plural).toBe('crontabs');
    body.status = { acceptedNames: { plural: 'Cron_Tabs', kind: 'CronTab' } };
    expect(updateStatus(rt, old, body).messages[0]).toMatch(/^status\.acceptedNames\.plural: Invalid value: "Cron_Tabs": a DNS-1035 label/);
  });

  it('adds the cleanup finalizer on delete', () => {
    expect(rt.strategy.finalizersOnDelete!(stored())).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
  });
});

describe('crd-helpers', () => {
  it('finds the storage version and the served versions', () => {
    const crd = crontabWith((s) => s.versions.push({ name: 'v2', served: false, storage: false }, { name: 'v3', served: true, storage: false }));
    expect(storageVersionOf(crd)?.name).toBe('v1');
    expect(servedVersions(crd).map((v) => v.name)).toEqual(['v1', 'v3']);
    expect(storageVersionOf({ spec: { versions: 'nonsense' } })).toBeUndefined();
    expect(servedVersions({})).toEqual([]);
  });
});
