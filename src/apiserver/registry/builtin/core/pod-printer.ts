// The Pod table as kubectl shows it against a real cluster (printers.go printPod): READY counts
// ready containers (restartable init containers included), STATUS is the most telling
// container or init-container reason, RESTARTS adds "(5m ago)" after a restart.
import type { KubeObject } from '../../../object.js';
import type { Printer } from '../../strategy.js';
import { asObj, objects, str, type Obj } from '../fields.js';
import { age, ageColumn, column, humanDuration, intCell, nameColumn } from '../printing.js';

/** A sidecar: an init container that keeps running (restartPolicy Always). */
function isRestartable(c: Obj | undefined): boolean {
  return str(c?.restartPolicy) === 'Always';
}

function terminatedAt(cs: Obj): number {
  const t = Date.parse(str(asObj(asObj(cs.lastState)?.terminated)?.finishedAt));
  return Number.isNaN(t) ? 0 : t;
}

function conditionTrue(status: Obj, type: string): boolean {
  const c = objects(status.conditions).find((x) => x.type === type);
  return c?.status === 'True';
}

function terminatedReason(t: Obj, prefix: string): string {
  if (str(t.reason)) return prefix + str(t.reason);
  if (intCell(t.signal) !== 0) return `${prefix}Signal:${intCell(t.signal)}`;
  return `${prefix}ExitCode:${intCell(t.exitCode)}`;
}

export function podCells(pod: KubeObject, now: number): unknown[] {
  const spec = asObj(pod.spec) ?? {};
  const status = asObj(pod.status) ?? {};
  const initContainers = new Map(objects(spec.initContainers).map((c) => [str(c.name), c]));
  const total = objects(spec.containers).length + [...initContainers.values()].filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  for (const c of objects(status.conditions)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = objects(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const state = asObj(cs.state) ?? {};
    const terminated = asObj(state.terminated);
    const waiting = asObj(state.waiting);
    const sidecar = isRestartable(initContainers.get(str(cs.name)));
    restarts += intCell(cs.restartCount);
    lastRestart = Math.max(lastRestart, terminatedAt(cs));
    if (sidecar) {
      sidecarRestarts += intCell(cs.restartCount);
      lastSidecarRestart = Math.max(lastSidecarRestart, terminatedAt(cs));
    }
    if (terminated && intCell(terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${i}/${initContainers.size}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objects(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      const state = asObj(cs.state) ?? {};
      const terminated = asObj(state.terminated);
      const waiting = asObj(state.waiting);
      restarts += intCell(cs.restartCount);
      lastRestart = Math.max(lastRestart, terminatedAt(cs));
      if (waiting && str(waiting.reason)) reason = str(waiting.reason);
      else if (terminated) reason = terminatedReason(terminated, '');
      else if (cs.ready === true && asObj(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but another still runs is not "Completed".
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);

  const podIP = str(objects(status.podIPs)[0]?.ip) || str(status.podIP);
  const gates = objects(spec.readinessGates);
  let readinessGates = '<none>';
  if (gates.length) {
    const trueCount = gates.filter((g) => conditionTrue(status, str(g.conditionType))).length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    pod.metadata.name,
    `${ready}/${total}`,
    reason,
    restartsCell,
    age(pod, now),
    podIP || '<none>',
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    readinessGates,
  ];
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells: podCells,
};
