// apps/v1 Deployment (k8s.io/kubernetes pkg/registry/apps/deployment): defaults as
// SetDefaults_Deployment sets them, a selector that is required, matches the template and
// never changes, status through deployments/status, replicas through deployments/scale.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, defaultString, defaultValue, ensureObj, keepAllButStatus, keepStatus, validateNonnegative } from '../fields.js';
import { age, ageColumn, column, containerCells, containersColumn, imagesColumn, intCell, nameColumn, selectorCell } from '../printing.js';
import {
  defaultWorkloadTemplate,
  desiredReplicas,
  specOf,
  statusOf,
  templateSpecOf,
  validateRollingUpdate,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
  validateStatusCounters,
} from './workload.js';

function defaultDeployment(d: KubeObject): void {
  const spec = ensureObj(d, 'spec');
  defaultValue(spec, 'replicas', 1);
  const strategy = ensureObj(spec, 'strategy');
  defaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObj(strategy, 'rollingUpdate');
    defaultValue(ru, 'maxUnavailable', '25%');
    defaultValue(ru, 'maxSurge', '25%');
  }
  defaultValue(spec, 'revisionHistoryLimit', 10);
  defaultValue(spec, 'progressDeadlineSeconds', 600);
  defaultWorkloadTemplate(d);
}

/** ValidateDeploymentSpec. */
function validateDeployment(d: KubeObject): FieldError[] {
  const spec = specOf(d);
  const errs = [...validateNonnegative(spec.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(spec, 'deployment')];
  const strategy = asObj(spec.strategy) ?? {};
  if (strategy.type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
      errs.push(fieldError.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (strategy.type === 'RollingUpdate') {
    const ru = asObj(strategy.rollingUpdate);
    if (!ru) errs.push(fieldError.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    else errs.push(...validateRollingUpdate(ru, 'spec.strategy.rollingUpdate', 'may not be 0 when `maxSurge` is 0'));
  } else {
    errs.push(fieldError.notSupported('spec.strategy', spec.strategy ?? null, ['Recreate', 'RollingUpdate']));
  }
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number') {
    errs.push(...validateNonnegative(deadline, 'spec.progressDeadlineSeconds'));
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (deadline <= minReady) errs.push(fieldError.invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** ValidateDeploymentStatus: non-negative counters that stay within status.replicas. */
function validateDeploymentStatus(d: KubeObject): FieldError[] {
  const s = statusOf(d);
  const errs = validateStatusCounters(d, ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']);
  const n = (k: string): number => intCell(s[k]);
  if (n('updatedReplicas') > n('replicas')) errs.push(fieldError.invalid('status.updatedReplicas', n('updatedReplicas'), 'cannot be greater than status.replicas'));
  if (n('readyReplicas') > n('replicas')) errs.push(fieldError.invalid('status.readyReplicas', n('readyReplicas'), 'cannot be greater than status.replicas'));
  if (n('availableReplicas') > n('replicas')) errs.push(fieldError.invalid('status.availableReplicas', n('availableReplicas'), 'cannot be greater than status.replicas'));
  if (n('availableReplicas') > n('readyReplicas')) errs.push(fieldError.invalid('status.availableReplicas', n('availableReplicas'), 'cannot be greater than readyReplicas'));
  return errs;
}

export function deploymentsResource(): ResourceType {
  return defineResource({
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    singularName: 'deployment',
    shortNames: ['deploy'],
    categories: ['all'],
    namespaced: true,
    // The Scale's status.selector is spec.selector in its string form ("app=web").
    subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
    tracksGeneration: true,
    openAPIDefinition: 'io.k8s.api.apps.v1.Deployment',
    strategy: {
      defaults: defaultDeployment,
      prepareForCreate(d) {
        d.status = {};
      },
      prepareForUpdate: (d, old) => keepStatus(d, old),
      validate: validateDeployment,
      validateUpdate: (d, old) => [...validateDeployment(d), ...validateSelectorImmutable(d, old)],
      // deployments/status may not relabel the Deployment either.
      prepareForStatusUpdate: (d, old) => keepAllButStatus(d, old, ['labels']),
      validateStatusUpdate: validateDeploymentStatus,
    },
    printer: {
      columns: [
        nameColumn,
        column('Ready', 'string', 'Number of the pod with ready state'),
        column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
        column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
        ageColumn,
        containersColumn,
        imagesColumn,
        column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
      ],
      cells(d, now) {
        const s = statusOf(d);
        const [names, images] = containerCells(templateSpecOf(d));
        return [
          d.metadata.name,
          `${intCell(s.readyReplicas)}/${desiredReplicas(d)}`,
          intCell(s.updatedReplicas),
          intCell(s.availableReplicas),
          age(d, now),
          names,
          images,
          selectorCell(specOf(d).selector),
        ];
      },
    },
  });
}
