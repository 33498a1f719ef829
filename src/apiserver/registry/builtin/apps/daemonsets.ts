// apps/v1 DaemonSet (k8s.io/kubernetes pkg/registry/apps/daemonset): RollingUpdate with
// maxUnavailable 1 / maxSurge 0 by default, a selector that matches the template and never
// changes; status through daemonsets/status (no scale: one pod per node).
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, defaultString, defaultValue, ensureObj, keepAllButStatus, keepStatus, validateNonnegative } from '../fields.js';
import { age, ageColumn, column, containerCells, containersColumn, formatLabelSelector, formatLabels, imagesColumn, intCell, nameColumn } from '../printing.js';
import {
  defaultWorkloadTemplate,
  specOf,
  statusOf,
  templateSpecOf,
  validateRollingUpdate,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
  validateStatusCounters,
} from './workload.js';

function defaultDaemonSet(ds: KubeObject): void {
  const spec = ensureObj(ds, 'spec');
  const strategy = ensureObj(spec, 'updateStrategy');
  defaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObj(strategy, 'rollingUpdate');
    defaultValue(ru, 'maxUnavailable', 1);
    defaultValue(ru, 'maxSurge', 0);
  }
  defaultValue(spec, 'revisionHistoryLimit', 10);
  defaultWorkloadTemplate(ds);
}

function validateDaemonSet(ds: KubeObject): FieldError[] {
  const spec = specOf(ds);
  const errs = [...validateSelectorAndTemplate(spec, 'daemonset'), ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds')];
  const strategy = asObj(spec.updateStrategy) ?? {};
  if (strategy.type === 'RollingUpdate') {
    const ru = asObj(strategy.rollingUpdate);
    if (!ru) errs.push(fieldError.required('spec.updateStrategy.rollingUpdate', ''));
    else errs.push(...validateRollingUpdate(ru, 'spec.updateStrategy.rollingUpdate', 'may not be 0 when `maxSurge` is 0'));
  } else if (strategy.type !== 'OnDelete') {
    errs.push(fieldError.notSupported('spec.updateStrategy', strategy, ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export function daemonSetsResource(): ResourceType {
  return defineResource({
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    singularName: 'daemonset',
    shortNames: ['ds'],
    categories: ['all'],
    namespaced: true,
    subresources: { status: true },
    tracksGeneration: true,
    openAPIDefinition: 'io.k8s.api.apps.v1.DaemonSet',
    strategy: {
      defaults: defaultDaemonSet,
      prepareForCreate(ds) {
        ds.status = {};
      },
      prepareForUpdate: (ds, old) => keepStatus(ds, old),
      validate: validateDaemonSet,
      validateUpdate: (ds, old) => [...validateDaemonSet(ds), ...validateSelectorImmutable(ds, old)],
      prepareForStatusUpdate: (ds, old) => keepAllButStatus(ds, old, ['labels']),
      validateStatusUpdate: (ds) =>
        validateStatusCounters(ds, [
          'currentNumberScheduled',
          'numberMisscheduled',
          'desiredNumberScheduled',
          'numberReady',
          'updatedNumberScheduled',
          'numberAvailable',
          'numberUnavailable',
          'observedGeneration',
        ]),
    },
    printer: {
      columns: [
        nameColumn,
        column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
        column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
        column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
        column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
        column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
        column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
        ageColumn,
        containersColumn,
        imagesColumn,
        column('Selector', 'string', 'A label query over pods that are managed by the daemon set.', 1),
      ],
      cells(ds, now) {
        const s = statusOf(ds);
        const podSpec = templateSpecOf(ds);
        const [names, images] = containerCells(podSpec);
        return [
          ds.metadata.name,
          intCell(s.desiredNumberScheduled),
          intCell(s.currentNumberScheduled),
          intCell(s.numberReady),
          intCell(s.updatedNumberScheduled),
          intCell(s.numberAvailable),
          formatLabels(podSpec?.nodeSelector),
          age(ds, now),
          names,
          images,
          formatLabelSelector(specOf(ds).selector),
        ];
      },
    },
  });
}
