import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../../../src/apiserver/object.js';
import { FieldErrorType, fieldErrorMessage, type FieldError } from '../../../src/apiserver/validation/field-errors.js';
import {
  validateAnnotations,
  validateLabels,
  validateLabelSelectorSpec,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type ObjectMetaValidationOptions,
} from '../../../src/apiserver/validation/object-meta.js';

/** Errors as kube-apiserver prints them in an Invalid Status: `path: Type: value: detail`. */
const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

const subdomainRule =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelRule =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const nameRule =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const notStandardFinalizer = 'name is neither a standard finalizer name nor is it fully qualified';

const namespaced: ObjectMetaValidationOptions = { namespaced: true, nameValidation: 'dns1123Subdomain' };
const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1' };

describe('validateObjectMeta', () => {
  it.each<[string, ObjectMeta, Partial<ObjectMetaValidationOptions>, string[]]>([
    [
      'a complete valid object',
      {
        name: 'web',
        namespace: 'default',
        generation: 1,
        labels: { app: 'web', 'example.com/tier': '' },
        annotations: { 'Example.COM/Note': 'anything at all' },
        ownerReferences: [{ ...owner, controller: true }, { ...owner, name: 'web-2' }],
        finalizers: ['kubernetes', 'orphan', 'example.com/cleanup'],
      },
      {},
      [],
    ],
    ['nothing at all', {}, {}, ['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value']],
    ['generateName alone', { generateName: 'web-', namespace: 'default' }, {}, []],
    ['a bad generateName', { generateName: 'Web-', namespace: 'n' }, {}, [`metadata.generateName: Invalid value: "Web-": ${subdomainRule}`]],
    ['a lone dash as generateName', { generateName: '-', namespace: 'n' }, {}, [`metadata.generateName: Invalid value: "-": ${subdomainRule}`]],
    ['a bad name', { name: 'Web_1', namespace: 'n' }, {}, [`metadata.name: Invalid value: "Web_1": ${subdomainRule}`]],
    ['a DNS label name with dots', { name: 'a.b', namespace: 'n' }, { nameValidation: 'dns1123Label' }, ['metadata.name: Invalid value: "a.b": must not contain dots']],
    [
      'a DNS label generateName with dots',
      { generateName: 'a.b-', namespace: 'n' },
      { nameValidation: 'dns1123Label' },
      ['metadata.generateName: Invalid value: "a.b-": must not contain dots'],
    ],
    ['a path segment name', { name: 'system:controller:job', namespace: 'n' }, { nameValidation: 'path' }, []],
    ['a path segment name with a slash', { name: 'a/b', namespace: 'n' }, { nameValidation: 'path' }, [`metadata.name: Invalid value: "a/b": may not contain '/'`]],
    ['a path segment name of ..', { name: '..', namespace: 'n' }, { nameValidation: 'path' }, [`metadata.name: Invalid value: "..": may not be '..'`]],
    ['a path segment generateName of ..', { generateName: '..', namespace: 'n' }, { nameValidation: 'path' }, []],
    ['a namespace on a cluster-scoped kind', { name: 'n', namespace: 'default' }, { namespaced: false }, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['no namespace on a cluster-scoped kind', { name: 'n' }, { namespaced: false }, []],
    ['a bad namespace', { name: 'n', namespace: 'Default' }, {}, [`metadata.namespace: Invalid value: "Default": ${labelRule}`]],
    ['a negative generation', { name: 'n', namespace: 'n', generation: -1 }, {}, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
    [
      'bad labels',
      { name: 'n', namespace: 'n', labels: { 'a b': 'c d' } },
      {},
      [`metadata.labels: Invalid value: "a b": ${nameRule}`, `metadata.labels: Invalid value: "c d": ${labelValueRule}`],
    ],
    ['a bad annotation key', { name: 'n', namespace: 'n', annotations: { 'a b': 'x' } }, {}, [`metadata.annotations: Invalid value: "a b": ${nameRule}`]],
    [
      'an empty owner reference',
      { name: 'n', namespace: 'n', ownerReferences: [{} as never] },
      {},
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    ],
    [
      'an owner apiVersion without a version',
      { name: 'n', namespace: 'n', ownerReferences: [{ ...owner, apiVersion: 'apps/' }, { ...owner, apiVersion: 'a/b/c' }] },
      {},
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty',
      ],
    ],
    [
      'an Event as owner',
      { name: 'n', namespace: 'n', ownerReferences: [{ uid: 'u', name: 'e', kind: 'Event', apiVersion: 'v1' }] },
      {},
      ['metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner'],
    ],
    [
      'two controllers',
      {
        name: 'n',
        namespace: 'n',
        ownerReferences: [
          { ...owner, name: 'a', controller: true },
          { ...owner, name: 'b', controller: true },
        ],
      },
      {},
      [
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"u1","controller":true},' +
          '{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"u1","controller":true}]: ' +
          'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
      ],
    ],
    ['an unqualified finalizer', { name: 'n', namespace: 'n', finalizers: ['foo'] }, {}, [`metadata.finalizers[0]: Invalid value: "foo": ${notStandardFinalizer}`]],
    ['an unqualified finalizer on a custom resource', { name: 'n', namespace: 'n', finalizers: ['foo'] }, { requireQualifiedFinalizers: false }, []],
    [
      'a finalizer that is not a qualified name',
      { name: 'n', namespace: 'n', finalizers: ['example.com/x', 'a b'] },
      {},
      [`metadata.finalizers: Invalid value: "a b": ${nameRule}`, `metadata.finalizers[1]: Invalid value: "a b": ${notStandardFinalizer}`],
    ],
    [
      'both orphan and foregroundDeletion',
      { name: 'n', namespace: 'n', finalizers: ['orphan', 'foregroundDeletion'] },
      {},
      ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set'],
    ],
    [
      'labels that are not a string map',
      { name: 'n', namespace: 'n', labels: { a: 1 } as never, annotations: 'x' as never },
      {},
      ['metadata.labels[a]: Invalid value: 1: must be of type string', 'metadata.annotations: Invalid value: "x": must be of type object'],
    ],
  ])('%s', (_name, meta, opts, expected) => {
    expect(messages(validateObjectMeta(meta, { ...namespaced, ...opts }))).toEqual(expected);
  });

  it('reports a name that is missing as a Required error on metadata.name', () => {
    expect(validateObjectMeta({ namespace: 'n' }, namespaced)).toEqual([
      { type: FieldErrorType.Required, field: 'metadata.name', detail: 'name or generateName is required' },
    ]);
  });
});

describe('validateAnnotations', () => {
  it.each<[string, unknown, string[]]>([
    ['none', undefined, []],
    ['keys compared in lower case', { 'Example.COM/Some-Key': 'v' }, []],
    ['exactly the size limit', { a: 'x'.repeat(262143) }, []],
    ['one byte over the size limit', { ab: 'x'.repeat(262143) }, ['metadata.annotations: Too long: must have at most 262144 bytes']],
    ['sizes in UTF-8 bytes', { a: 'é'.repeat(131072) }, ['metadata.annotations: Too long: must have at most 262144 bytes']],
    ['a key with two slashes', { 'a/b/c': '' }, [expect.stringContaining('metadata.annotations: Invalid value: "a/b/c": a qualified name must consist')]],
  ])('%s', (_name, annotations, expected) => {
    expect(messages(validateAnnotations(annotations, 'metadata.annotations'))).toEqual(expected);
  });

  it('reports the size as a TooLong error without the value', () => {
    const [err] = validateAnnotations({ a: 'x'.repeat(300000) }, 'metadata.annotations');
    expect(err?.type).toBe(FieldErrorType.TooLong);
    expect(err?.field).toBe('metadata.annotations');
  });
});

describe('validateLabels', () => {
  it.each<[unknown, string[]]>([
    [undefined, []],
    [null, []],
    [{ app: 'web', 'app.kubernetes.io/name': 'web_1.x' }, []],
    [{ app: '-x' }, [`spec.template.metadata.labels: Invalid value: "-x": ${labelValueRule}`]],
    [{ 'Example.com/app': 'x' }, [`spec.template.metadata.labels: Invalid value: "Example.com/app": prefix part ${subdomainRule}`]],
    [['a'], ['spec.template.metadata.labels: Invalid value: ["a"]: must be of type object']],
  ])('%j', (labels, expected) => {
    expect(messages(validateLabels(labels, 'spec.template.metadata.labels'))).toEqual(expected);
  });
});

describe('validateLabelSelectorSpec', () => {
  const expr = 'spec.selector.matchExpressions[0]';
  it.each<[string, unknown, string[]]>([
    ['null', null, []],
    ['empty', {}, []],
    ['a valid selector', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cache', ''] }] }, []],
    ['Exists without values', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, []],
    ['In without values', { matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }, [`${expr}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`]],
    [
      'DoesNotExist with values',
      { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: ['x'] }] },
      [`${expr}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`],
    ],
    ['an unknown operator', { matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['x'] }] }, [`${expr}.operator: Invalid value: "Equals": not a valid selector operator`]],
    ['no operator', { matchExpressions: [{ key: 'tier' }] }, [`${expr}.operator: Invalid value: "": not a valid selector operator`]],
    [
      'an empty key',
      { matchExpressions: [{ key: '', operator: 'Exists' }] },
      [`${expr}.key: Invalid value: "": name part must be non-empty`, `${expr}.key: Invalid value: "": ${nameRule}`],
    ],
    ['a bad value', { matchExpressions: [{ key: 'k', operator: 'In', values: ['ok', 'a b'] }] }, [`${expr}.values[1]: Invalid value: "a b": ${labelValueRule}`]],
    ['bad matchLabels', { matchLabels: { app: '-x' } }, [`spec.selector.matchLabels: Invalid value: "-x": ${labelValueRule}`]],
  ])('%s', (_name, sel, expected) => {
    expect(messages(validateLabelSelectorSpec(sel, 'spec.selector'))).toEqual(expected);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '5',
    creationTimestamp: '2024-01-01T00:00:00Z',
    finalizers: ['example.com/a'],
  };
  const deleting: ObjectMeta = { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', deletionGracePeriodSeconds: 0 };

  it.each<[string, ObjectMeta, ObjectMeta, string[]]>([
    ['no change', { ...old }, old, []],
    ['uid and creationTimestamp left out (BeforeUpdate restores them)', { name: 'web', namespace: 'default', resourceVersion: '5' }, old, []],
    ['a new name', { ...old, name: 'web2' }, old, ['metadata.name: Invalid value: "web2": field is immutable']],
    ['a new namespace', { ...old, namespace: 'other' }, old, ['metadata.namespace: Invalid value: "other": field is immutable']],
    ['a new uid', { ...old, uid: 'u2' }, old, ['metadata.uid: Invalid value: "u2": field is immutable']],
    [
      'a new creationTimestamp',
      { ...old, creationTimestamp: '2025-01-01T00:00:00Z' },
      old,
      ['metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable'],
    ],
    [
      'a deletionTimestamp set by the client',
      { ...old, deletionTimestamp: '2024-03-01T00:00:00Z' },
      old,
      ['metadata.deletionTimestamp: Invalid value: "2024-03-01T00:00:00Z": field is immutable'],
    ],
    ['a new grace period', { ...deleting, deletionGracePeriodSeconds: 30 }, deleting, ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable']],
    [
      'finalizers added while deleting',
      { ...deleting, finalizers: ['example.com/a', 'x.io/y', 'c.io/d'] },
      deleting,
      ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"c.io/d", "x.io/y"}'],
    ],
    ['finalizers removed while deleting', { ...deleting, finalizers: [] }, deleting, []],
    ['finalizers added before deletion', { ...old, finalizers: ['example.com/a', 'x.io/y'] }, old, []],
    ['bad labels', { ...old, labels: { a: 'b c' } }, old, [`metadata.labels: Invalid value: "b c": ${labelValueRule}`]],
    ['an unqualified finalizer', { ...old, finalizers: ['foo'] }, old, [`metadata.finalizers[0]: Invalid value: "foo": ${notStandardFinalizer}`]],
    ['a bad owner reference', { ...old, ownerReferences: [{ ...owner, uid: '' }] }, old, ['metadata.ownerReferences.uid: Invalid value: "": must not be empty']],
  ])('%s', (_name, meta, before, expected) => {
    expect(messages(validateObjectMetaUpdate(meta, before))).toEqual(expected);
  });

  it('allows unqualified finalizers for custom resources', () => {
    expect(validateObjectMetaUpdate({ ...old, finalizers: ['foo'] }, old, { requireQualifiedFinalizers: false })).toEqual([]);
  });
});
