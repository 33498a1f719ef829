// core/v1 ConfigMap (ValidateConfigMap / ValidateConfigMapUpdate): config-key names, no key
// in both data and binaryData, 1 MiB in all, nothing changes once `immutable` is set.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, deepEqual, keyPath } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import { omitEmpty } from '../../omit-empty.js';
import { base64ErrorOffset, isConfigMapKey, MAX_SECRET_SIZE } from './config-data.js';

function validateConfigMap(cm: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = asObj(cm.data) ?? {};
  const binaryData = asObj(cm.binaryData) ?? {};
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldError.invalid(keyPath('data', key), key, msg));
    if (key in binaryData) errs.push(fieldError.invalid(keyPath('data', key), key, 'duplicate of key present in binaryData'));
    const v = data[key];
    if (typeof v === 'string') total += Buffer.byteLength(v, 'utf8');
    else errs.push(fieldError.typeInvalid(keyPath('data', key), v, 'must be of type string'));
  }
  for (const key of Object.keys(binaryData).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldError.invalid(keyPath('binaryData', key), key, msg));
    const v = binaryData[key];
    const offset = typeof v === 'string' ? base64ErrorOffset(v) : 0;
    if (offset !== undefined) {
      errs.push({ ...fieldError.invalid(keyPath('binaryData', key), undefined, `illegal base64 data at input byte ${offset}`), omitValue: true });
    } else {
      total += Buffer.from(v as string, 'base64').length;
    }
  }
  // The whole object is the culprit, so the path is empty.
  if (total > MAX_SECRET_SIZE) errs.push(fieldError.tooLong('', '', MAX_SECRET_SIZE));
  return errs;
}

function validateConfigMapUpdate(cm: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (cm.immutable !== true) errs.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm.data, old.data)) errs.push(fieldError.forbidden('data', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm.binaryData, old.binaryData)) errs.push(fieldError.forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  return [...errs, ...validateConfigMap(cm)];
}

export function configMapsResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    singularName: 'configmap',
    shortNames: ['cm'],
    namespaced: true,
    openAPIDefinition: 'io.k8s.api.core.v1.ConfigMap',
    strategy: {
      validate: validateConfigMap,
      validateUpdate: validateConfigMapUpdate,
      // data and binaryData are omitempty maps: an empty one is not stored.
      canonicalize: (cm) => omitEmpty(cm, ['data', 'binaryData']),
    },
    printer: {
      columns: [nameColumn, column('Data', 'string', 'Data contains the configuration data.'), ageColumn],
      cells: (cm, now) => [
        cm.metadata.name,
        Object.keys(asObj(cm.data) ?? {}).length + Object.keys(asObj(cm.binaryData) ?? {}).length,
        age(cm, now),
      ],
    },
  });
}
