// batch/v1 CronJob (k8s.io/kubernetes pkg/registry/batch/cronjob): defaults as
// SetDefaults_CronJob sets them, a schedule the standard cron parser accepts, a time zone
// Intl knows, and a job template whose selector the Job will generate.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asArray, asObj, defaultString, defaultValue, ensureObj, keepAllButStatus, keepStatus, str, validateNonnegative, type Obj } from '../fields.js';
import { age, ageColumn, boolPtrCell, column, containerCells, containersColumn, formatLabelSelector, imagesColumn, nameColumn, timestampSince } from '../printing.js';
import { cronScheduleError, isKnownTimeZone } from './cron.js';
import { validateJobSpec } from './job-spec.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];

const specOf = (cj: KubeObject): Obj => asObj(cj.spec) ?? {};
const jobSpecOf = (cj: KubeObject): Obj => asObj(asObj(specOf(cj).jobTemplate)?.spec) ?? {};

function validateTimeZone(tz: unknown): FieldError[] {
  if (tz === undefined || tz === null) return [];
  const path = 'spec.timeZone';
  if (typeof tz !== 'string' || tz === '') return [fieldError.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part)) {
      return [fieldError.invalid(path, tz, `unknown time zone ${tz}`)];
    }
  }
  if (tz.toLowerCase() === 'local') {
    return [fieldError.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  }
  return isKnownTimeZone(tz) ? [] : [fieldError.invalid(path, tz, `unknown time zone ${tz}`)];
}

/** ValidateCronJobSpec. */
function validateCronJobSpec(cj: KubeObject): FieldError[] {
  const spec = specOf(cj);
  const errs: FieldError[] = [];
  const schedule = str(spec.schedule);
  if (!schedule) {
    errs.push(fieldError.required('spec.schedule', ''));
  } else {
    const msg = cronScheduleError(schedule);
    if (msg) errs.push(fieldError.invalid('spec.schedule', schedule, msg));
    if (schedule.includes('TZ')) errs.push(fieldError.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  errs.push(...validateNonnegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  errs.push(...validateTimeZone(spec.timeZone));
  const policy = spec.concurrencyPolicy;
  if (!policy) errs.push(fieldError.required('spec.concurrencyPolicy', ''));
  else if (!CONCURRENCY_POLICIES.includes(policy as string)) errs.push(fieldError.notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  // ValidateJobTemplateSpec: the Job generates its own selector.
  const jobSpec = jobSpecOf(cj);
  errs.push(...validateJobSpec(jobSpec, 'spec.jobTemplate.spec'));
  if (jobSpec.selector !== undefined && jobSpec.selector !== null) {
    errs.push(fieldError.invalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
  }
  if (jobSpec.manualSelector === true) errs.push(fieldError.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  return errs;
}

function validateCronJob(cj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  // Jobs are named <cronjob>-<11 digits>, and a Job name is a 63-character label.
  const name = cj.metadata.name ?? '';
  if (name.length > 52) errs.push(fieldError.invalid('metadata.name', name, 'must be no more than 52 characters'));
  return [...errs, ...validateCronJobSpec(cj)];
}

export function cronJobsResource(): ResourceType {
  return defineResource({
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    singularName: 'cronjob',
    shortNames: ['cj'],
    categories: ['all'],
    namespaced: true,
    subresources: { status: true },
    tracksGeneration: true,
    openAPIDefinition: 'io.k8s.api.batch.v1.CronJob',
    strategy: {
      defaults(cj) {
        const spec = ensureObj(cj, 'spec');
        defaultString(spec, 'concurrencyPolicy', 'Allow');
        defaultValue(spec, 'suspend', false);
        defaultValue(spec, 'successfulJobsHistoryLimit', 3);
        defaultValue(spec, 'failedJobsHistoryLimit', 1);
        // Only the pod template inside gets defaults: a job template is not a Job.
        defaultPodTemplate(ensureObj(ensureObj(ensureObj(spec, 'jobTemplate'), 'spec'), 'template'));
      },
      prepareForCreate(cj) {
        cj.status = {};
      },
      prepareForUpdate: (cj, old) => keepStatus(cj, old),
      validate: validateCronJob,
      // Names longer than 52 characters from older servers may still be updated.
      validateUpdate: (cj) => validateCronJobSpec(cj),
      prepareForStatusUpdate: (cj, old) => keepAllButStatus(cj, old),
    },
    printer: {
      columns: [
        nameColumn,
        column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
        column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
        column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
        column('Active', 'integer', 'A list of pointers to currently running jobs.'),
        column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
        ageColumn,
        containersColumn,
        imagesColumn,
        column('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
      ],
      cells(cj, now) {
        const spec = specOf(cj);
        const status = asObj(cj.status) ?? {};
        const [names, images] = containerCells(asObj(asObj(jobSpecOf(cj).template)?.spec));
        return [
          cj.metadata.name,
          str(spec.schedule),
          typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
          boolPtrCell(spec.suspend),
          asArray(status.active).length,
          status.lastScheduleTime ? timestampSince(status.lastScheduleTime, now) : '<none>',
          age(cj, now),
          names,
          images,
          formatLabelSelector(jobSpecOf(cj).selector),
        ];
      },
    },
  });
}
