// What core/v1 and events.k8s.io/v1 Events share. Kubernetes stores both as one internal
// Event and prints and validates that; here each version is read into the same `EventView`
// (the internal field names), so the printer (printers.go printEvent) and the legacy
// validation (pkg/apis/core/validation/events.go) are written once.
import { eventsV1ToCore } from '../events/conversion.js';
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { isQualifiedName } from '../../../validation/names.js';
import type { Printer } from '../../strategy.js';
import { asObj, num, str, type Obj } from '../fields.js';
import { column, humanDuration, nameColumn } from '../printing.js';

export interface EventView {
  name: string;
  namespace: string;
  involvedObject: Obj;
  reason: string;
  message: string;
  type: string;
  source: Obj;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: Obj | undefined;
  action: string;
  reportingController: string;
  reportingInstance: string;
}

/** A core/v1 Event as the internal Event. */
export function coreEventView(ev: KubeObject): EventView {
  return {
    name: ev.metadata.name ?? '',
    namespace: ev.metadata.namespace ?? '',
    involvedObject: asObj(ev.involvedObject) ?? {},
    reason: str(ev.reason),
    message: str(ev.message),
    type: str(ev.type),
    source: asObj(ev.source) ?? {},
    firstTimestamp: ev.firstTimestamp,
    lastTimestamp: ev.lastTimestamp,
    eventTime: ev.eventTime,
    count: num(ev.count) ?? 0,
    series: asObj(ev.series),
    action: str(ev.action),
    reportingController: str(ev.reportingComponent),
    reportingInstance: str(ev.reportingInstance),
  };
}

/** An events.k8s.io/v1 Event as the internal Event: its core/v1 form (regarding -> involvedObject, note -> message, ...). */
export function eventsV1View(ev: KubeObject): EventView {
  return coreEventView(eventsV1ToCore(ev));
}

export function isZeroTime(ts: unknown): boolean {
  return typeof ts !== 'string' || Number.isNaN(Date.parse(ts));
}

function since(ts: unknown, now: number): string {
  return isZeroTime(ts) ? '<unknown>' : humanDuration(now - Date.parse(ts as string));
}

/** formatEventSource: component (or reporting controller), then ", host" (or reporting instance). */
function sourceCell(v: EventView): string {
  const component = str(v.source.component) || v.reportingController;
  const instance = str(v.source.host) || v.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

/** printEvent, wide: LAST SEEN falls back to the first time seen, a series reports its own count. */
export function eventCells(v: EventView, now: number): unknown[] {
  const first = isZeroTime(v.firstTimestamp) ? since(v.eventTime, now) : since(v.firstTimestamp, now);
  let last = isZeroTime(v.lastTimestamp) ? first : since(v.lastTimestamp, now);
  let count = v.count;
  if (v.series) {
    last = since(v.series.lastObservedTime, now);
    count = num(v.series.count) ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const kind = str(v.involvedObject.kind).toLowerCase();
  const target = str(v.involvedObject.name) ? `${kind}/${str(v.involvedObject.name)}` : kind;
  return [last, v.type, v.reason, target, str(v.involvedObject.fieldPath), sourceCell(v), v.message.trim(), first, count, v.name];
}

export function eventPrinter(view: (ev: KubeObject) => EventView): Printer {
  return {
    columns: [
      column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
      column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
      column('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
      column('Object', 'string', 'The object that this event is about.'),
      column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', 1),
      column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
      column('Message', 'string', 'A human-readable description of the status of this operation.'),
      column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
      column('Count', 'string', 'The number of times this event has occurred.', 1),
      { ...nameColumn, priority: 1 },
    ],
    cells: (ev, now) => eventCells(view(ev), now),
  };
}

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 } as const;

/**
 * legacyValidateEvent, which every Event passes. An old-style event (no eventTime) must sit in
 * its object's namespace; a new-style one needs reporting controller, instance, action and
 * reason. `reportingField` is the reporting controller's field name in the request's version.
 */
export function legacyValidateEvent(v: EventView, reportingField: string): FieldError[] {
  const errs: FieldError[] = [];
  const involvedNs = str(v.involvedObject.namespace);
  const mismatch = (): FieldError => fieldError.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (isZeroTime(v.eventTime)) {
    if (!involvedNs) {
      if (v.namespace !== '' && v.namespace !== 'default') errs.push(mismatch());
    } else if (v.namespace !== involvedNs) {
      errs.push(mismatch());
    }
    return errs;
  }
  if (!involvedNs && v.namespace !== 'default' && v.namespace !== 'kube-system') errs.push(mismatch());
  if (!v.reportingController) errs.push(fieldError.required(reportingField, ''));
  for (const msg of isQualifiedName(v.reportingController)) errs.push(fieldError.invalid(reportingField, v.reportingController, msg));
  for (const [field, value] of [
    ['reportingInstance', v.reportingInstance],
    ['action', v.action],
    ['reason', v.reason],
  ] as const) {
    if (!value) errs.push(fieldError.required(field, ''));
    if (value.length > LIMITS[field]) errs.push(fieldError.invalid(field, '', `can have at most ${LIMITS[field]} characters`));
  }
  if (v.message.length > LIMITS.message) errs.push(fieldError.invalid('message', '', `can have at most ${LIMITS.message} characters`));
  return errs;
}
