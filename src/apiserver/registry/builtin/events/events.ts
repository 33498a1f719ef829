// events.k8s.io/v1 Event: the same objects as core/v1 Events in Kubernetes (one storage,
// converted per version), validated strictly when written through this version: an
// eventTime, a Normal or Warning type, none of the deprecated fields, a sane series, and
// most fields immutable on update. Paths in errors use the internal (core) field names, as
// kube-apiserver reports them.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { eventPrinter, eventsV1View, isZeroTime, legacyValidateEvent, type EventView } from '../core/event-common.js';
import { defineResource } from '../define.js';
import { CORE_EVENT_FIELDS } from '../core/events.js';
import { coreFieldPath, coreToEventsV1, eventsV1ToCore } from './conversion.js';
import { deepEqual, num, str, validateImmutable } from '../fields.js';

function validateSeries(v: EventView): FieldError[] {
  if (!v.series) return [];
  const errs: FieldError[] = [];
  if ((num(v.series.count) ?? 0) < 2) errs.push(fieldError.invalid('series.count', '', 'should be at least 2'));
  if (isZeroTime(v.series.lastObservedTime)) errs.push(fieldError.required('series.lastObservedTime', ''));
  return errs;
}

function validateCreate(ev: KubeObject): FieldError[] {
  const v = eventsV1View(ev);
  const errs = [...legacyValidateEvent(v, 'reportingController'), ...validateSeries(v)];
  if (isZeroTime(v.eventTime)) errs.push(fieldError.required('eventTime', ''));
  if (v.type !== 'Normal' && v.type !== 'Warning') errs.push(fieldError.invalid('type', '', `has invalid value: ${v.type}`));
  if (!isZeroTime(v.firstTimestamp)) errs.push(fieldError.invalid('firstTimestamp', '', 'needs to be unset'));
  if (!isZeroTime(v.lastTimestamp)) errs.push(fieldError.invalid('lastTimestamp', '', 'needs to be unset'));
  if (v.count !== 0) errs.push(fieldError.invalid('count', '', 'needs to be unset'));
  if (str(v.source.component) || str(v.source.host)) errs.push(fieldError.invalid('source', '', 'needs to be unset'));
  return errs;
}

function validateUpdate(ev: KubeObject, old: KubeObject): FieldError[] {
  const v = eventsV1View(ev);
  const o = eventsV1View(old);
  const errs = legacyValidateEvent(v, 'reportingController');
  if (!deepEqual(v.series, o.series)) errs.push(...validateSeries(v));
  const pairs: [string, unknown, unknown][] = [
    ['involvedObject', v.involvedObject, o.involvedObject],
    ['reason', v.reason, o.reason],
    ['message', v.message, o.message],
    ['source', v.source, o.source],
    ['firstTimestamp', v.firstTimestamp, o.firstTimestamp],
    ['lastTimestamp', v.lastTimestamp, o.lastTimestamp],
    ['count', v.count, o.count],
    ['type', v.type, o.type],
    ['eventTime', v.eventTime, o.eventTime],
    ['action', v.action, o.action],
    ['related', ev.related, old.related],
    ['reportingController', v.reportingController, o.reportingController],
    ['reportingInstance', v.reportingInstance, o.reportingInstance],
  ];
  for (const [field, a, b] of pairs) errs.push(...validateImmutable(a, b, field));
  return errs;
}

// The field labels this version accepts, converted to the core/v1 ones as Kubernetes converts
// them: selectors run against the stored (core/v1) form.
const FIELD_LABELS = [
  'regarding.kind',
  'regarding.namespace',
  'regarding.name',
  'regarding.uid',
  'regarding.apiVersion',
  'regarding.resourceVersion',
  'regarding.fieldPath',
  'reason',
  'reportingController',
  'type',
];
const fieldSelectors = Object.fromEntries(FIELD_LABELS.map((label) => [label, CORE_EVENT_FIELDS[coreFieldPath(label)]!]));

export function eventsV1Resource(): ResourceType {
  return defineResource({
    group: 'events.k8s.io',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    singularName: 'event',
    shortNames: ['ev'],
    namespaced: true,
    openAPIDefinition: 'io.k8s.api.events.v1.Event',
    // Served from the core Event storage, with its strategy's Unsupported garbage collection.
    strategy: { allowCreateOnUpdate: true, validate: validateCreate, validateUpdate, defaultGarbageCollectionPolicy: 'Unsupported' },
    fieldSelectors,
    printer: eventPrinter(eventsV1View),
    storageResource: 'events',
    conversion: { toStorage: eventsV1ToCore, fromStorage: coreToEventsV1 },
  });
}
