// events.k8s.io/v1 Events are core/v1 Events in another shape: one storage, converted at the
// storage boundary (k8s.io/kubernetes pkg/apis/events/v1 conversion). So an Event a
// controller records through either API shows in `kubectl get events` and `kubectl events`.
import { freeze } from 'immer';
import type { KubeObject } from '../../../object.js';

/** [events.k8s.io/v1 field, core/v1 field] */
const FIELDS: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function rename(obj: KubeObject, apiVersion: string, pairs: [string, string][]): KubeObject {
  const out: Record<string, unknown> = {};
  const map = new Map(pairs);
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion') out.apiVersion = apiVersion;
    else out[map.get(k) ?? k] = v;
  }
  return freeze(out as KubeObject);
}

export function eventsV1ToCore(obj: KubeObject): KubeObject {
  return rename(obj, 'v1', FIELDS);
}

export function coreToEventsV1(obj: KubeObject): KubeObject {
  return rename(obj, 'events.k8s.io/v1', FIELDS.map(([a, b]) => [b, a]));
}

/** The core field an events.k8s.io/v1 field selector names (`regarding.kind` -> `involvedObject.kind`). */
export function coreFieldPath(v1Path: string): string {
  const [head, ...rest] = v1Path.split('.');
  const core = FIELDS.find(([v1]) => v1 === head)?.[1] ?? head!;
  return [core, ...rest].join('.');
}
