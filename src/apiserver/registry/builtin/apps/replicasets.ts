// apps/v1 ReplicaSet (k8s.io/kubernetes pkg/registry/apps/replicaset): replicas default to 1,
// the selector is required, matches the template and never changes; status and scale
// subresources; list/watch may select on status.replicas.
import type { KubeObject } from '../../../object.js';
import type { FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { defaultValue, ensureObj, keepAllButStatus, keepStatus, validateNonnegative } from '../fields.js';
import { age, ageColumn, column, containerCells, containersColumn, formatLabelSelector, imagesColumn, intCell, nameColumn } from '../printing.js';
import {
  defaultWorkloadTemplate,
  desiredReplicas,
  specOf,
  statusOf,
  templateSpecOf,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
  validateStatusCounters,
} from './workload.js';

function validateReplicaSet(rs: KubeObject): FieldError[] {
  const spec = specOf(rs);
  return [
    ...validateNonnegative(spec.replicas, 'spec.replicas'),
    ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateSelectorAndTemplate(spec, 'replicaset'),
  ];
}

export function replicaSetsResource(): ResourceType {
  return defineResource({
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    singularName: 'replicaset',
    shortNames: ['rs'],
    categories: ['all'],
    namespaced: true,
    subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
    tracksGeneration: true,
    openAPIDefinition: 'io.k8s.api.apps.v1.ReplicaSet',
    strategy: {
      defaults(rs) {
        defaultValue(ensureObj(rs, 'spec'), 'replicas', 1);
        defaultWorkloadTemplate(rs);
      },
      prepareForCreate(rs) {
        rs.status = {};
      },
      prepareForUpdate: (rs, old) => keepStatus(rs, old),
      validate: validateReplicaSet,
      validateUpdate: (rs, old) => [...validateReplicaSet(rs), ...validateSelectorImmutable(rs, old)],
      prepareForStatusUpdate: (rs, old) => keepAllButStatus(rs, old, ['labels']),
      validateStatusUpdate: (rs) =>
        validateStatusCounters(rs, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
    },
    fieldSelectors: { 'status.replicas': (rs) => String(intCell(statusOf(rs).replicas)) },
    printer: {
      columns: [
        nameColumn,
        column('Desired', 'integer', 'Replicas is the number of desired pods.'),
        column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
        column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
        ageColumn,
        containersColumn,
        imagesColumn,
        column('Selector', 'string', 'Selector is a label query over pods that should match the replica count.', 1),
      ],
      cells(rs, now) {
        const s = statusOf(rs);
        const [names, images] = containerCells(templateSpecOf(rs));
        return [
          rs.metadata.name,
          desiredReplicas(rs),
          intCell(s.replicas),
          intCell(s.readyReplicas),
          age(rs, now),
          names,
          images,
          formatLabelSelector(specOf(rs).selector),
        ];
      },
    },
  });
}
