// Records core/v1 Events about objects the way kube-controller-manager's legacy recorder does
// (client-go tools/record event.go makeEvent + events_cache.go EventCorrelator): one Event per
// distinct (object, type, reason, message), repeats folded into it by bumping count and
// lastTimestamp with a patch instead of creating a new Event each time.
import { rfc3339 } from './meta.js';
import { isNamespaceTerminating, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from './clock.js';
import type { KubeObject } from './types.js';

export const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

export const EventType = { Normal: 'Normal', Warning: 'Warning' } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface EventRecorderOptions {
  client: Client;
  clock: Clock;
  /** source.component and reportingComponent, e.g. "job-controller". */
  component: string;
  /** source.host and reportingInstance; client-go leaves it empty for controllers. */
  host?: string;
  /** Recording is best effort: failures go here and never to the caller. Default console.error. */
  onError?: (err: unknown) => void;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

/** client-go's correlator keeps an LRU of this many keys (maxLruCacheEntries). */
const MAX_CACHED = 4096;

/** Shared by every recorder in the process: two components may record about one object at one instant. */
let nameSeq = 0;

export class EventRecorder {
  private readonly opts: EventRecorderOptions;
  private readonly seen = new Map<string, Seen>();
  /** Writes go one at a time, like the broadcaster's single goroutine, so repeats patch. */
  private tail: Promise<void> = Promise.resolve();

  constructor(opts: EventRecorderOptions) {
    this.opts = opts;
  }

  /** Record an event; the returned promise settles when it was written (or failed and was reported). */
  event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const now = this.opts.clock.now();
    const ref = referenceTo(obj);
    const write = this.tail.then(() => this.write(ref, type, reason, message, now));
    this.tail = write.catch(() => undefined);
    return write.catch((e: unknown) => this.report(e));
  }

  /** Settles once the writes queued so far are done, so a stopping cluster can close after them. */
  flush(): Promise<void> {
    return this.tail;
  }

  private async write(ref: ObjectReference, type: EventType, reason: string, message: string, now: Date): Promise<void> {
    const { client, component, host = '' } = this.opts;
    // events_cache.go getEventKey: everything that identifies a repeat, message included.
    const key = JSON.stringify([component, host, ref.kind, ref.namespace, ref.name, ref.uid, ref.apiVersion, type, reason, message]);
    const timestamp = rfc3339(now);
    const prev = this.seen.get(key);
    if (prev) {
      const next = { ...prev, count: prev.count + 1 };
      this.remember(key, next);
      try {
        await client.patch(EVENTS, prev.name, { count: next.count, lastTimestamp: timestamp, message }, 'strategic', {
          namespace: prev.namespace,
        });
        return;
      } catch (e) {
        // Someone deleted the Event: create it again with the count so far (recordToSink).
        if (!isNotFound(e)) throw e;
      }
      await client.create(EVENTS, this.makeEvent(ref, type, reason, message, now, next));
      return;
    }
    const namespace = ref.namespace || 'default';
    // UnixNano on a real clock never repeats; a virtual clock stands still, so the nanoseconds
    // within the millisecond count up, across recorders, to keep names unique.
    const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(nameSeq++ % 1_000_000);
    const first: Seen = { name: `${ref.name}.${nanos.toString(16)}`, namespace, count: 1, firstTimestamp: timestamp };
    this.remember(key, first);
    await client.create(EVENTS, this.makeEvent(ref, type, reason, message, now, first));
  }

  /**
   * makeEvent: named <object name>.<hex UnixNano>, in the object's namespace (default for a
   * cluster-scoped object). The legacy recorder leaves eventTime unset, so it is omitted.
   */
  private makeEvent(ref: ObjectReference, type: EventType, reason: string, message: string, now: Date, s: Seen): KubeObject {
    const { component, host } = this.opts;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: s.name, namespace: s.namespace },
      involvedObject: ref,
      reason,
      message,
      type,
      count: s.count,
      firstTimestamp: s.firstTimestamp,
      lastTimestamp: rfc3339(now),
      source: host ? { component, host } : { component },
      reportingComponent: component,
      reportingInstance: host ?? '',
    };
  }

  private remember(key: string, s: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, s);
    if (this.seen.size > MAX_CACHED) this.seen.delete(this.seen.keys().next().value!);
  }

  private report(e: unknown): void {
    // recordToSink drops an event its namespace's termination refused without a word: expected, not a failure.
    if (isNamespaceTerminating(e)) return;
    if (this.opts.onError) this.opts.onError(e);
    else console.error(`event recorder ${this.opts.component}:`, e);
  }
}

/** The involvedObject for an object (client-go tools/reference GetReference). */
export function referenceTo(obj: KubeObject): ObjectReference {
  const m = obj.metadata;
  const ref: ObjectReference = { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name };
  if (m.namespace) ref.namespace = m.namespace;
  if (m.uid) ref.uid = m.uid;
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  return ref;
}

