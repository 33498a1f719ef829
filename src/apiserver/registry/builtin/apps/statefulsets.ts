// apps/v1 StatefulSet (k8s.io/kubernetes pkg/registry/apps/statefulset): defaults as
// SetDefaults_StatefulSet sets them; after creation only replicas, ordinals, template,
// updateStrategy, revisionHistoryLimit, the PVC retention policy and minReadySeconds change.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, deepEqual, defaultString, defaultValue, ensureObj, keepAllButStatus, keepStatus, objects, validateNonnegative } from '../fields.js';
import { age, ageColumn, column, containerCells, containersColumn, imagesColumn, intCell, nameColumn } from '../printing.js';
import {
  defaultWorkloadTemplate,
  desiredReplicas,
  specOf,
  statusOf,
  templateSpecOf,
  validateSelectorAndTemplate,
  validateStatusCounters,
} from './workload.js';

function defaultStatefulSet(sts: KubeObject): void {
  const spec = ensureObj(sts, 'spec');
  defaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensureObj(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    defaultValue(strategy, 'rollingUpdate', {});
  }
  const ru = asObj(strategy.rollingUpdate);
  if (strategy.type === 'RollingUpdate' && ru) defaultValue(ru, 'partition', 0);
  const retention = ensureObj(spec, 'persistentVolumeClaimRetentionPolicy');
  defaultString(retention, 'whenDeleted', 'Retain');
  defaultString(retention, 'whenScaled', 'Retain');
  defaultValue(spec, 'replicas', 1);
  defaultValue(spec, 'revisionHistoryLimit', 10);
  // Claim templates get the PersistentVolumeClaim defaults.
  for (const claim of objects(spec.volumeClaimTemplates)) {
    defaultString(ensureObj(claim, 'spec'), 'volumeMode', 'Filesystem');
    defaultString(ensureObj(claim, 'status'), 'phase', 'Pending');
  }
  defaultWorkloadTemplate(sts);
}

function validateStatefulSet(sts: KubeObject): FieldError[] {
  const spec = specOf(sts);
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy;
  if (!policy) errs.push(fieldError.required('spec.podManagementPolicy', ''));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(fieldError.invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = asObj(spec.updateStrategy) ?? {};
  if (!strategy.type) errs.push(fieldError.required('spec.updateStrategy', ''));
  else if (strategy.type === 'OnDelete') {
    if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
      errs.push(fieldError.invalid('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
    }
  } else if (strategy.type === 'RollingUpdate') {
    errs.push(...validateNonnegative(asObj(strategy.rollingUpdate)?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  } else {
    errs.push(fieldError.invalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(spec, 'statefulset'));
  return errs;
}

const MUTABLE_SPEC_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function validateStatefulSetUpdate(sts: KubeObject, old: KubeObject): FieldError[] {
  const rest = (o: KubeObject): Record<string, unknown> => {
    const copy = { ...specOf(o) };
    for (const k of MUTABLE_SPEC_FIELDS) delete copy[k];
    return copy;
  };
  const errs = validateStatefulSet(sts);
  if (!deepEqual(rest(sts), rest(old))) {
    errs.push(
      fieldError.forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

export function statefulSetsResource(): ResourceType {
  return defineResource({
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    singularName: 'statefulset',
    shortNames: ['sts'],
    categories: ['all'],
    namespaced: true,
    subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
    tracksGeneration: true,
    openAPIDefinition: 'io.k8s.api.apps.v1.StatefulSet',
    strategy: {
      defaults: defaultStatefulSet,
      prepareForCreate(sts) {
        sts.status = {};
      },
      prepareForUpdate: (sts, old) => keepStatus(sts, old),
      validate: validateStatefulSet,
      validateUpdate: validateStatefulSetUpdate,
      prepareForStatusUpdate: (sts, old) => keepAllButStatus(sts, old, ['labels']),
      validateStatusUpdate: (sts) =>
        validateStatusCounters(sts, ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration']),
    },
    printer: {
      columns: [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
      cells(sts, now) {
        const [names, images] = containerCells(templateSpecOf(sts));
        return [sts.metadata.name, `${intCell(statusOf(sts).readyReplicas)}/${desiredReplicas(sts)}`, age(sts, now), names, images];
      },
    },
  });
}
