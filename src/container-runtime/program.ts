// What a simulated container does, decided from the pod alone so that the kubelet (which
// reports its status) and the API server (which serves its logs) agree without talking:
// the container's command and args (or, without them, the image's default: images.ts) run
// through the interpreter, and the kubesim.dev annotations override it all.
import { containerEnvironment, expandReferences } from './environment.js';
import { imageDefaultScript } from './images.js';
import { runArgv, type ExitStatus, type RuntimeEvent } from './interpreter.js';

export { imageBaseName } from './images.js';

/** What the container does once started: run for `runSeconds` (forever when undefined), then exit. */
export interface Program {
  runSeconds: number | undefined;
  exitCode: number;
}

export const RUN_SECONDS_ANNOTATION = 'kubesim.dev/run-seconds';
export const EXIT_CODE_ANNOTATION = 'kubesim.dev/exit-code';
export const LOGS_ANNOTATION = 'kubesim.dev/logs';

export interface ContainerLike {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: unknown[];
}

export interface PodLike {
  metadata: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: unknown;
  status?: unknown;
}

/** One container of a pod: everything a run depends on. */
export interface ContainerRef {
  pod: PodLike;
  container: ContainerLike;
}

/**
 * A run of the container as the runtime sees it, annotations aside: its output events and,
 * on return, when and how it ended. `startedAt` only changes what `date` prints.
 */
export function* runContainer({ pod, container, startedAt }: ContainerRef & { startedAt: Date }): Generator<RuntimeEvent, ExitStatus> {
  const environment = containerEnvironment({ pod, container: container as Record<string, unknown> });
  const values = new Map(environment);
  // The kubelet expands $(VAR) in command and args from the container's env before exec.
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a) => expandReferences(String(a), (n) => values.get(n)));
  if (argv.length === 0) argv.push('sh', '-c', imageDefaultScript(container.image ?? ''));
  return yield* runArgv(argv, { environment, startedAt });
}

function numberAnnotation(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** How long a run lasts and how it ends, ignoring the annotations. */
function naturalEnd(ref: ContainerRef): Program {
  const run = runContainer({ ...ref, startedAt: new Date(0) });
  for (let r = run.next(); ; r = run.next()) {
    if (r.done) return { runSeconds: r.value.seconds, exitCode: r.value.exitCode };
    if (r.value.kind === 'forever') return { runSeconds: undefined, exitCode: 0 };
  }
}

/** The container's program; the kubesim.dev annotations override what the command says. */
export function programOf(ref: ContainerRef): Program {
  const annotations = ref.pod.metadata.annotations ?? {};
  const base = naturalEnd(ref);
  const runSeconds = numberAnnotation(annotations[RUN_SECONDS_ANNOTATION]);
  const exitCode = numberAnnotation(annotations[EXIT_CODE_ANNOTATION]);
  return {
    runSeconds: runSeconds !== undefined ? Math.max(0, runSeconds) : exitCode !== undefined && base.runSeconds === undefined ? 0 : base.runSeconds,
    exitCode: exitCode !== undefined ? Math.trunc(exitCode) : base.exitCode,
  };
}
