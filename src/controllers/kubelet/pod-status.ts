// The status a kubelet reports for a pod it runs (pkg/kubelet/kubelet_pods.go
// generateAPIPodStatus, getPhase; pkg/kubelet/status/generate.go for the conditions).
// Pure: given the pod and the time, the next status. The fake runtime decides when each
// container ends; restartPolicy decides whether it restarts after a CrashLoopBackOff.
import { programOf, type ContainerLike } from '../../container-runtime/program.js';
import { rfc3339 } from '../runtime/meta.js';
import type { KubeObject } from '../runtime/types.js';

type Obj = Record<string, any>;

/** The kubelet's container back-off: 10 s doubling to 5 min (kubelet.go MaxContainerBackOff). */
export function restartBackoffMs(restarts: number): number {
  return Math.min(10_000 * 2 ** restarts, 300_000);
}

/** "nginx" -> "docker.io/library/nginx:latest", as the runtime reports the image it ran. */
export function normalizeImage(image: string): string {
  let ref = image;
  const first = ref.split('/')[0]!;
  if (!ref.includes('/')) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  const last = ref.split('/').pop()!;
  if (!last.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}

function digest(seed: string): string {
  let out = '';
  let h = 2166136261;
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

function imageID(image: string): string {
  const repo = normalizeImage(image).replace(/:[^:/]+$/, '');
  return `${repo}@sha256:${digest(repo)}`;
}

const containersOf = (pod: KubeObject): (ContainerLike & { name: string })[] => ((pod.spec as Obj | undefined)?.containers ?? []) as (ContainerLike & { name: string })[];

function baseContainerStatus(pod: KubeObject, c: ContainerLike & { name: string }): Obj {
  return { name: c.name, image: normalizeImage(c.image ?? ''), imageID: '', restartCount: 0, ready: false, started: false, lastState: {} };
}

/** First sight of a bound pod: Pending, every container waiting in ContainerCreating. */
export function pendingStatus(pod: KubeObject, now: Date, hostIP: string): Obj {
  const statuses = containersOf(pod).map((c) => ({ ...baseContainerStatus(pod, c), state: { waiting: { reason: 'ContainerCreating' } } }));
  return {
    phase: 'Pending',
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: rfc3339(now),
    conditions: conditionsFor(pod, 'Pending', statuses, now, false),
    containerStatuses: statuses,
  };
}

/** The sandbox is up and every container started: Running with a pod IP. */
export function runningStatus(pod: KubeObject, now: Date, podIP: string): Obj {
  const status = (pod.status ?? {}) as Obj;
  const statuses = containersOf(pod).map((c) => runningContainer(pod, c, baseContainerStatus(pod, c), now));
  return {
    ...status,
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP }],
    conditions: conditionsFor(pod, 'Running', statuses, now, true),
    containerStatuses: statuses,
  };
}

function runningContainer(pod: KubeObject, c: ContainerLike & { name: string }, prev: Obj, at: Date): Obj {
  return {
    ...prev,
    imageID: imageID(c.image ?? ''),
    containerID: `kubesim://${digest(`${pod.metadata.uid}/${c.name}/${prev.restartCount}`)}`,
    state: { running: { startedAt: rfc3339(at) } },
    ready: true,
    started: true,
  };
}

export interface Progress {
  /** The new status, or undefined when nothing changed. */
  status?: Obj;
  /** When the next container change falls due, in ms from now. */
  wakeAfterMs?: number;
  /** Containers that ended or restarted in this step, for events. */
  ended: { name: string; exitCode: number }[];
  restarted: string[];
}

/** Move a Running pod's containers forward to `now`: end them, back them off, restart them. */
export function progress(pod: KubeObject, now: Date): Progress {
  const status = (pod.status ?? {}) as Obj;
  const policy = ((pod.spec as Obj | undefined)?.restartPolicy as string | undefined) ?? 'Always';
  const nowMs = now.getTime();
  const out: Progress = { ended: [], restarted: [] };
  let changed = false;
  let wake = Infinity;
  const statuses = containersOf(pod).map((c) => {
    let cs = ((status.containerStatuses ?? []) as Obj[]).find((s) => s.name === c.name) ?? baseContainerStatus(pod, c);
    const program = programOf({ pod, container: c });
    // Step the container through as many end/restart cycles as fit before now.
    for (let guard = 0; guard < 1000; guard++) {
      if (cs.state?.running) {
        if (program.runSeconds === undefined) break;
        const endMs = Date.parse(cs.state.running.startedAt) + program.runSeconds * 1000;
        if (endMs > nowMs) {
          wake = Math.min(wake, endMs - nowMs);
          break;
        }
        const terminated = {
          exitCode: program.exitCode,
          reason: program.exitCode === 0 ? 'Completed' : 'Error',
          startedAt: cs.state.running.startedAt,
          finishedAt: rfc3339(new Date(endMs)),
          containerID: cs.containerID,
        };
        out.ended.push({ name: c.name, exitCode: program.exitCode });
        changed = true;
        const restart = policy === 'Always' || (policy === 'OnFailure' && program.exitCode !== 0);
        cs = restart
          ? { ...cs, ready: false, started: false, lastState: { terminated }, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${restartBackoffMs(cs.restartCount) / 1000}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } } }
          : { ...cs, ready: false, started: false, state: { terminated } };
      } else if (cs.state?.waiting?.reason === 'CrashLoopBackOff' && cs.lastState?.terminated) {
        const restartMs = Date.parse(cs.lastState.terminated.finishedAt) + restartBackoffMs(cs.restartCount);
        if (restartMs > nowMs) {
          wake = Math.min(wake, restartMs - nowMs);
          break;
        }
        cs = runningContainer(pod, c, { ...cs, restartCount: cs.restartCount + 1 }, new Date(restartMs));
        out.restarted.push(c.name);
        changed = true;
      } else {
        break;
      }
    }
    return cs;
  });
  if (wake !== Infinity) out.wakeAfterMs = wake;
  if (!changed) return out;
  const phase = phaseOf(statuses);
  out.status = { ...status, phase, conditions: conditionsFor(pod, phase, statuses, now, true), containerStatuses: statuses };
  return out;
}

/**
 * A pod being deleted is killed (kubelet killPod with the grace period the deletion set, here
 * 0: SIGKILL, exit 137) and reported terminal, so whoever holds a finalizer on it (the Job
 * controller's job-tracking) sees how it ended.
 */
export function killedStatus(pod: KubeObject, now: Date): Obj {
  const status = (pod.status ?? {}) as Obj;
  const t = rfc3339(now);
  const statuses = containersOf(pod).map((c) => {
    const cs = ((status.containerStatuses ?? []) as Obj[]).find((s) => s.name === c.name) ?? baseContainerStatus(pod, c);
    if (cs.state?.terminated) return cs;
    const startedAt = cs.state?.running?.startedAt ?? t;
    return { ...cs, ready: false, started: false, state: { terminated: { exitCode: 137, reason: 'Error', startedAt, finishedAt: t, containerID: cs.containerID } } };
  });
  const phase = phaseOf(statuses);
  return { ...status, phase, conditions: conditionsFor(pod, phase, statuses, now, false), containerStatuses: statuses };
}

/** getPhase: every container ended for good -> Succeeded if all exited 0, else Failed. */
export function phaseOf(statuses: Obj[]): string {
  if (statuses.length === 0 || !statuses.every((s) => s.state?.terminated)) return 'Running';
  return statuses.every((s) => s.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
}

/** The pod's conditions in the order the kubelet reports them, keeping unchanged transition times. */
export function conditionsFor(pod: KubeObject, phase: string, statuses: Obj[], now: Date, sandboxReady: boolean): Obj[] {
  const old = (((pod.status as Obj | undefined)?.conditions ?? []) as Obj[]);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const readiness = (type: string): Obj =>
    terminal
      ? { type, status: 'False', reason: 'PodCompleted' }
      : unready.length
        ? { type, status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }
        : { type, status: 'True' };
  const next: Obj[] = [
    { type: 'PodReadyToStartContainers', status: sandboxReady && !terminal ? 'True' : 'False' },
    { type: 'Initialized', status: 'True' },
    readiness('Ready'),
    readiness('ContainersReady'),
  ];
  const scheduled = old.find((c) => c.type === 'PodScheduled');
  if (scheduled) next.push(scheduled);
  const t = rfc3339(now);
  return next.map((c) => {
    if (c.type === 'PodScheduled') return c;
    const prev = old.find((o) => o.type === c.type);
    return { ...c, lastProbeTime: null, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : t };
  });
}
