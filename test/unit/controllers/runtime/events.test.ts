import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { VirtualClock } from '../../../../src/controllers/runtime/clock.js';
import { EVENTS, EventRecorder } from '../../../../src/controllers/runtime/events.js';
import { FakeClient } from './fake-client.js';

const job: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'ns', uid: 'u1', resourceVersion: '7' },
};

function setup() {
  const client = new FakeClient();
  const clock = new VirtualClock(new Date('2026-03-01T10:00:00.123Z'));
  const errors: unknown[] = [];
  const rec = new EventRecorder({ client, clock, component: 'job-controller', onError: (e) => errors.push(e) });
  return { client, clock, rec, errors };
}

describe('EventRecorder', () => {
  it('writes a core/v1 Event the way the legacy recorder does', async () => {
    const { client, rec } = setup();
    await rec.event(job, 'Normal', 'SuccessfulCreate', 'Created pod: pi-abc');
    expect(client.writes).toHaveLength(1);
    const ev = client.writes[0]!.body as KubeObject;
    const nanos = (BigInt(Date.parse('2026-03-01T10:00:00.123Z')) * 1_000_000n).toString(16);
    expect(ev).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `pi.${nanos}`, namespace: 'ns' },
      involvedObject: { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', namespace: 'ns', uid: 'u1', resourceVersion: '7' },
      reason: 'SuccessfulCreate',
      message: 'Created pod: pi-abc',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2026-03-01T10:00:00Z',
      lastTimestamp: '2026-03-01T10:00:00Z',
      source: { component: 'job-controller' },
      reportingComponent: 'job-controller',
      reportingInstance: '',
    });
    expect(client.writes[0]!.ref).toEqual(EVENTS);
  });

  it('folds repeats into one Event by patching count and lastTimestamp', async () => {
    const { client, clock, rec } = setup();
    await rec.event(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    clock.advance(60_000);
    await rec.event(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    clock.advance(60_000);
    // fire two without waiting: still one after the other
    const p1 = rec.event(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    const p2 = rec.event(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    await Promise.all([p1, p2]);
    expect(client.writes.map((w) => w.verb)).toEqual(['create', 'patch:strategic', 'patch:strategic', 'patch:strategic']);
    const name = client.writes[0]!.name;
    expect(client.writes.slice(1).every((w) => w.name === name)).toBe(true);
    expect(client.writes[1]!.body).toEqual({
      count: 2,
      lastTimestamp: '2026-03-01T10:01:00Z',
      message: 'Job has reached the specified backoff limit',
    });
    const stored = await client.get(EVENTS, name!, 'ns');
    expect(stored).toMatchObject({ count: 4, firstTimestamp: '2026-03-01T10:00:00Z', lastTimestamp: '2026-03-01T10:02:00Z' });
  });

  type Change = { obj?: KubeObject; type?: 'Normal' | 'Warning'; reason?: string; message?: string };
  it.each<[string, Change]>([
    ['another reason', { reason: 'Other' }],
    ['another message', { message: 'different' }],
    ['another type', { type: 'Normal' }],
    ['another object', { obj: { ...job, metadata: { ...job.metadata, name: 'other', uid: 'u2' } } }],
  ])('%s is a new Event', async (_n, change) => {
    const { client, clock, rec } = setup();
    await rec.event(job, 'Warning', 'Failed', 'msg');
    clock.advance(1);
    await rec.event(change.obj ?? job, change.type ?? 'Warning', change.reason ?? 'Failed', change.message ?? 'msg');
    expect(client.writes.map((w) => w.verb)).toEqual(['create', 'create']);
  });

  it('recreates an Event deleted meanwhile, keeping the count; puts cluster-scoped objects in default', async () => {
    const { client, rec } = setup();
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n' } };
    await rec.event(node, 'Normal', 'Ready', 'ok');
    const first = client.writes[0]!.body as KubeObject;
    expect(first.metadata.namespace).toBe('default');
    expect(first.involvedObject).toEqual({ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'n' });
    await client.delete(EVENTS, first.metadata.name!, 'default');
    await rec.event(node, 'Normal', 'Ready', 'ok');
    expect(client.writes.map((w) => w.verb)).toEqual(['create', 'delete', 'patch:strategic', 'create']);
    expect(client.writes[3]!.body).toMatchObject({ count: 2, metadata: { name: first.metadata.name } });
  });

  it('reports a failed write instead of throwing', async () => {
    const { client, rec, errors } = setup();
    client.create = async () => {
      throw new Error('server down');
    };
    await expect(rec.event(job, 'Normal', 'X', 'y')).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
