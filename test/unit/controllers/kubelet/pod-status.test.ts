import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { normalizeImage, pendingStatus, phaseOf, progress, restartBackoffMs, runningStatus } from '../../../../src/controllers/kubelet/pod-status.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

function pod(restartPolicy: string, command?: string[], image = 'busybox'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy, containers: [{ name: 'c', image, ...(command ? { command } : {}) }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
}

function started(p: KubeObject): KubeObject {
  const pending = { ...p, status: pendingStatus(p, t0, '172.18.0.2') };
  return { ...p, status: runningStatus(pending, t0, '10.244.0.2') };
}

describe('pod status', () => {
  it('starts Pending with ContainerCreating, then Running and Ready', () => {
    const p = pod('Never', ['sleep', '30']);
    const pending = pendingStatus(p, t0, '172.18.0.2');
    expect(pending.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(pending.conditions.map((c: { type: string }) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    const running = started(p).status as Record<string, any>;
    expect(running.phase).toBe('Running');
    expect(running.containerStatuses[0]).toMatchObject({ ready: true, started: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, image: 'docker.io/library/busybox:latest' });
    expect(running.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
  });

  it('ends a Never pod when its command ends, and says when to look again', () => {
    const p = started(pod('Never', ['sleep', '30']));
    expect(progress(p, at(10))).toEqual({ wakeAfterMs: 20_000, ended: [], restarted: [] });
    const done = progress(p, at(30));
    expect(done.status!.phase).toBe('Succeeded');
    expect(done.status!.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', finishedAt: '2026-01-01T00:00:30Z' });
    const failed = progress(started(pod('Never', ['sh', '-c', 'exit 3'])), t0);
    expect(failed.status!.phase).toBe('Failed');
    expect(failed.status!.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('restarts OnFailure containers after a CrashLoopBackOff that doubles', () => {
    const p = started(pod('OnFailure', ['sh', '-c', 'sleep 5; exit 1']));
    const crashed = progress(p, at(5));
    const cs = crashed.status!.containerStatuses[0];
    expect(crashed.status!.phase).toBe('Running');
    expect(cs.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(crashed.wakeAfterMs).toBe(10_000);
    const again = progress({ ...p, status: crashed.status }, at(15));
    expect(again.status!.containerStatuses[0]).toMatchObject({ restartCount: 1, ready: true, state: { running: { startedAt: '2026-01-01T00:00:15Z' } } });
    // Catching up over a long gap steps through every cycle: 5 s runs, back-off 10, 20, 40 ...
    const later = progress(p, at(5 + 10 + 5 + 20 + 5 + 40 + 5));
    expect(later.status!.containerStatuses[0].restartCount).toBe(3);
  });

  it('a succeeded OnFailure pod does not restart', () => {
    expect(progress(started(pod('OnFailure', ['echo', 'hi'])), t0).status!.phase).toBe('Succeeded');
  });

  it('leaves servers running', () => {
    expect(progress(started(pod('Always', undefined, 'nginx')), at(3600))).toEqual({ ended: [], restarted: [] });
  });

  it('knows the helpers', () => {
    expect(restartBackoffMs(0)).toBe(10_000);
    expect(restartBackoffMs(10)).toBe(300_000);
    expect(normalizeImage('quay.io/org/app')).toBe('quay.io/org/app:latest');
    expect(normalizeImage('bitnami/redis:7')).toBe('docker.io/bitnami/redis:7');
    expect(phaseOf([])).toBe('Running');
  });
});
