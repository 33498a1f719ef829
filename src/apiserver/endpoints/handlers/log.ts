// GET pods/{name}/log: a container's output as text/plain. kube-apiserver checks the options
// and the container name (pkg/registry/core/pod/rest/log.go, LogLocation) and proxies to the
// kubelet, which picks the container run from the pod's status and reads its log file
// (pkg/kubelet/kubelet_pods.go validateContainerLogStatus, kuberuntime/logs ReadLogs). Here
// the "log file" is recomputed from the pod by the fake runtime (src/container-runtime), and
// `follow` waits on the cluster clock, so it streams on a virtual clock as on a real one.
import type { ServerResponse } from 'node:http';
import { ContainerLogReader, type LogLine } from '../../../container-runtime/output.js';
import { programOf, type ContainerLike } from '../../../container-runtime/program.js';
import type { Clock, TimerHandle } from '../../../controllers/runtime/clock.js';
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { DeliveredEvent, WatchHandle } from '../../storage/interface.js';
import type { ApiRequest } from '../request.js';
import { podLogOptionsOf, type PodLogOptions } from './pod-log-options.js';

type Obj = Record<string, any>;

export interface LogServerOptions {
  /** The cluster clock: `follow` writes each line when this clock reaches it. */
  clock: Clock;
  /** Registers an open stream's closer (so stopping the server ends it); returns its unregister. */
  track?: (close: () => void) => () => void;
}

/** One run of a container: when it started, when it ended (undefined while running), its ID. */
interface ContainerRun {
  startedAt: number;
  finishedAt?: number;
  containerID: string;
}

const allContainers = (spec: Obj): Obj[] => [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];

/** LogLocation's validateContainer: the only container by default, else the caller must name one. */
function chooseContainer(pod: KubeObject, name: string): Obj {
  const spec = (pod.spec ?? {}) as Obj;
  const containers = (spec.containers ?? []) as Obj[];
  const podName = pod.metadata.name!;
  if (!name) {
    if (containers.length === 1) return containers[0]!;
    if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${podName}`);
    throw errors.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${allContainers(spec).map((c) => c.name).join(' ')}]`);
  }
  const found = allContainers(spec).find((c) => c.name === name);
  if (!found) throw errors.badRequest(`container ${name} is not valid for pod ${podName}`);
  return found;
}

/** The kubelet's validateContainerLogStatus: which run's log to read, or why there is none. */
function chooseRun(pod: KubeObject, container: string, previous: boolean): ContainerRun {
  const status = (pod.status ?? {}) as Obj;
  const statuses = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])] as Obj[];
  const cs = statuses.find((s) => s.name === container);
  const q = (s: string) => JSON.stringify(s);
  const where = `container ${q(container)} in pod ${q(pod.metadata.name!)}`;
  if (!cs) throw errors.badRequest(`${where} is not available`);
  const last = cs.lastState?.terminated as Obj | undefined;
  const { waiting, running, terminated } = (cs.state ?? {}) as Obj;
  const ended = (t: Obj): ContainerRun => ({ startedAt: Date.parse(t.startedAt), finishedAt: Date.parse(t.finishedAt), containerID: String(t.containerID ?? '') });
  if (previous) {
    if (!last?.containerID) throw errors.badRequest(`previous terminated ${where} not found`);
    return ended(last);
  }
  if (running) return { startedAt: Date.parse(running.startedAt), containerID: String(cs.containerID ?? '') };
  if (terminated) {
    if (terminated.containerID) return ended(terminated);
    if (last?.containerID) return ended(last);
    throw errors.badRequest(`${where} is terminated`);
  }
  if (last) {
    if (!last.containerID) throw errors.badRequest(`${where} is terminated`);
    return ended(last);
  }
  if (waiting) {
    const reason = String(waiting.reason ?? '');
    if (reason === 'ErrImagePull') throw errors.badRequest(`${where} is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw errors.badRequest(`${where} is waiting to start: trying and failing to pull image`);
    throw errors.badRequest(`${where} is waiting to start: ${reason}`);
  }
  throw errors.badRequest(`${where} is waiting to start - no logs yet`);
}

/** Go's time.RFC3339Nano: fractional seconds without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => (/^0+$/.test(f) ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

/**
 * Validates the request (errors are ordinary Status responses) and returns the function that
 * writes the log once the response is taken over.
 */
export function logHandler(r: ApiRequest, server: LogServerOptions): (res: ServerResponse) => void {
  if (r.info.verb !== 'get') throw errors.methodNotSupported({ group: '', resource: 'pods/log' }, r.info.verb);
  const opts = podLogOptionsOf(r.query, r.info.name);
  const pod = r.store.get(r.info.namespace, r.info.name);
  const container = chooseContainer(pod, opts.container);
  // A pod no node has taken has no logs yet: an empty answer, as LogLocation's nil location gives.
  if (!((pod.spec ?? {}) as Obj).nodeName) return (res) => writeHead(res).end();
  const run = chooseRun(pod, container.name, opts.previous);
  return (res) => new LogStream({ r, server, opts, pod, container, run, res }).start();
}

function writeHead(res: ServerResponse): ServerResponse {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  return res;
}

interface LogStreamInit {
  r: ApiRequest;
  server: LogServerOptions;
  opts: PodLogOptions;
  pod: KubeObject;
  container: Obj;
  run: ContainerRun;
  res: ServerResponse;
}

/** Writes one run's lines: those printed so far, then (with follow) each as the clock reaches it. */
class LogStream {
  private readonly reader: ContainerLogReader;
  /** When the run ends (ms), from its status or from the program; Infinity when never. */
  private readonly endsAt: number;
  private remaining: number;
  private timer: TimerHandle | undefined;
  private watch: WatchHandle | undefined;
  private untrack: (() => void) | undefined;
  private closed = false;

  constructor(private readonly s: LogStreamInit) {
    this.reader = new ContainerLogReader({ pod: s.pod, container: s.container as ContainerLike, startedAt: new Date(s.run.startedAt) });
    const program = programOf({ pod: s.pod, container: s.container as ContainerLike });
    this.endsAt = s.run.finishedAt ?? (program.runSeconds === undefined ? Infinity : s.run.startedAt + program.runSeconds * 1000);
    this.remaining = s.opts.limitBytes ?? Infinity;
  }

  private now(): number {
    return this.s.server.clock.now().getTime();
  }

  /** The lines printed by `until` (ms) and not yet taken. */
  private take(until: number): LogLine[] {
    return this.reader.read((Math.min(until, this.endsAt) - this.s.run.startedAt) / 1000);
  }

  start(): void {
    const { res, opts } = this.s;
    writeHead(res);
    const now = this.now();
    let first = this.take(now);
    // The kubelet seeks to the last tailLines lines, then skips those older than since.
    if (opts.tailLines !== undefined) first = opts.tailLines === 0 ? [] : first.slice(-opts.tailLines);
    this.write(first);
    const open = opts.follow && this.s.run.finishedAt === undefined && now < this.endsAt;
    if (!open || this.closed) return this.close();
    res.on('close', () => this.close());
    this.untrack = this.s.server.track?.(() => this.close());
    this.watchPod();
    this.schedule();
  }

  private write(lines: LogLine[]): void {
    const { opts, run, res } = this.s;
    const since = opts.sinceSeconds !== undefined ? this.now() - opts.sinceSeconds * 1000 : opts.sinceTime;
    let chunk = '';
    for (const line of lines) {
      const at = run.startedAt + line.at * 1000;
      if (since !== undefined && at < since) continue;
      chunk += `${opts.timestamps ? `${rfc3339Nano(at)} ` : ''}${line.text}${line.newline ? '\n' : ''}`;
    }
    if (!chunk) return;
    // limitBytes counts bytes, and may cut a line (and a character) short, as the kubelet's writer does.
    let bytes = Buffer.from(chunk);
    if (bytes.length > this.remaining) bytes = bytes.subarray(0, this.remaining);
    this.remaining -= bytes.length;
    res.write(bytes);
    if (this.remaining <= 0) this.close();
  }

  /** Wakes when the run next prints or its clock moves, or when it ends, whichever is first. */
  private schedule(): void {
    if (this.closed) return;
    const due = Math.min(this.s.run.startedAt + this.reader.nextEventAt() * 1000, this.endsAt);
    if (due === Infinity) return; // runs forever and prints nothing more: wait for the pod to go
    this.timer = this.s.server.clock.setTimeout(() => this.tick(), Math.max(0, due - this.now()));
  }

  private tick(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = this.now();
    this.write(this.take(now));
    if (now >= this.endsAt) return this.close();
    this.schedule();
  }

  /** The stream also ends when the pod is deleted or this run ends early (killed, restarted). */
  private watchPod(): void {
    const { r, pod, run } = this.s;
    const name = pod.metadata.name;
    this.watch = r.ctx.storage.watch(r.store.resource, { namespace: pod.metadata.namespace, predicate: (o) => o.metadata.name === name }, (ev: DeliveredEvent) => {
      if (this.closed) return;
      if (ev.type === 'DELETED' || ev.object.metadata.uid !== pod.metadata.uid) return this.close();
      const statuses = ((ev.object.status as Obj | undefined)?.containerStatuses ?? []) as Obj[];
      const cs = statuses.find((s) => s.name === this.s.container.name);
      if (cs?.state?.running && cs.containerID === run.containerID) return;
      // This run is over: print what it printed up to its end, then stop.
      const end = cs?.state?.terminated?.containerID === run.containerID ? Date.parse(cs.state.terminated.finishedAt) : cs?.lastState?.terminated?.containerID === run.containerID ? Date.parse(cs.lastState.terminated.finishedAt) : this.now();
      this.write(this.take(Math.min(end, this.now())));
      this.close();
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) this.s.server.clock.clearTimeout(this.timer);
    this.watch?.stop();
    this.untrack?.();
    if (!this.s.res.writableEnded) this.s.res.end();
  }
}
