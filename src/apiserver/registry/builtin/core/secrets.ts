// core/v1 Secret (k8s.io/kubernetes pkg/registry/core/secret/strategy.go and ValidateSecret):
// type defaults to Opaque and never changes, data values are base64 with config-key names,
// the well-known types need their keys, stringData is write-only sugar folded into data.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, deepEqual, defaultString, keyPath, str, validateImmutable, type Obj } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import { base64ErrorOffset, isConfigMapKey, MAX_SECRET_SIZE } from './config-data.js';

const typeOf = (s: KubeObject): string => str(s.type);

/** The data the Secret will hold once stringData is merged in: key -> base64 value. */
function effectiveData(secret: KubeObject): Obj {
  const data: Obj = { ...(asObj(secret.data) ?? {}) };
  for (const [k, v] of Object.entries(asObj(secret.stringData) ?? {})) {
    if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  return data;
}

function decodedLength(v: string): number {
  return Buffer.from(v, 'base64').length;
}

/** What each well-known Secret type must carry (ValidateSecret's switch). */
function validateTypeKeys(secret: KubeObject, data: Obj): FieldError[] {
  const has = (k: string): boolean => data[k] !== undefined;
  const required = (k: string): FieldError => fieldError.required(keyPath('data', k), '');
  switch (typeOf(secret)) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [fieldError.required(keyPath('metadata.annotations', 'kubernetes.io/service-account.name'), '')];
    case 'kubernetes.io/dockercfg':
      return has('.dockercfg') ? validateJSONKey(data, '.dockercfg') : [required('.dockercfg')];
    case 'kubernetes.io/dockerconfigjson':
      return has('.dockerconfigjson') ? validateJSONKey(data, '.dockerconfigjson') : [required('.dockerconfigjson')];
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required('username'), required('password')];
    case 'kubernetes.io/ssh-auth':
      return typeof data['ssh-privatekey'] === 'string' && decodedLength(data['ssh-privatekey']) > 0 ? [] : [required('ssh-privatekey')];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [required('tls.crt')]), ...(has('tls.key') ? [] : [required('tls.key')])];
    default:
      return [];
  }
}

/** Docker config secrets must hold well-formed JSON (the message is JSON.parse's, not Go's). */
function validateJSONKey(data: Obj, key: string): FieldError[] {
  const v = data[key];
  if (typeof v !== 'string') return [];
  try {
    JSON.parse(Buffer.from(v, 'base64').toString('utf8'));
    return [];
  } catch (e) {
    return [fieldError.invalid(keyPath('data', key), '<secret contents redacted>', (e as Error).message)];
  }
}

function validateSecret(secret: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = effectiveData(secret);
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldError.invalid(keyPath('data', key), key, msg));
    const v = data[key];
    // A real server fails to decode the JSON here (400 BadRequest); kubesim reports the same
    // Go decoder message as a field error on the key instead.
    if (typeof v !== 'string') {
      errs.push(fieldError.typeInvalid(keyPath('data', key), v, 'must be of type string'));
      continue;
    }
    const offset = base64ErrorOffset(v);
    if (offset !== undefined) {
      errs.push({ ...fieldError.invalid(keyPath('data', key), undefined, `illegal base64 data at input byte ${offset}`), omitValue: true });
      continue;
    }
    total += decodedLength(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(fieldError.tooLong('data', '', MAX_SECRET_SIZE));
  errs.push(...validateTypeKeys(secret, data));
  return errs;
}

function validateSecretUpdate(secret: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateImmutable(secret.type, old.type, 'type');
  if (old.immutable === true) {
    if (secret.immutable !== true) errs.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(effectiveData(secret), asObj(old.data) ?? {})) errs.push(fieldError.forbidden('data', 'field is immutable when `immutable` is set'));
  }
  return [...errs, ...validateSecret(secret)];
}

export function secretsResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    singularName: 'secret',
    namespaced: true,
    openAPIDefinition: 'io.k8s.api.core.v1.Secret',
    strategy: {
      defaults: (s) => defaultString(s, 'type', 'Opaque'),
      validate: validateSecret,
      validateUpdate: validateSecretUpdate,
      // stringData is never stored: the v1 -> internal conversion merges it into data.
      canonicalize(s) {
        if (s.stringData === undefined) return;
        const data = effectiveData(s);
        if (Object.keys(data).length) s.data = data;
        delete s.stringData;
      },
    },
    fieldSelectors: { type: typeOf },
    printer: {
      columns: [
        nameColumn,
        column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
        column('Data', 'string', 'Data contains the secret data.'),
        ageColumn,
      ],
      cells: (s, now) => [s.metadata.name, typeOf(s), Object.keys(asObj(s.data) ?? {}).length, age(s, now)],
    },
  });
}
