// A container run's log: the lines it prints, each stamped with the second (after the run
// started) it appeared, as the container runtime's log file records them. Recomputed from the
// pod whenever asked, so the API server needs nothing but the pod to serve `pods/log`.
import { LOGS_ANNOTATION, programOf, runContainer, type ContainerRef } from './program.js';

export interface LogLine {
  /** Seconds after the run started. */
  at: number;
  /** The line without its newline. */
  text: string;
  /** False for a last line printed without a newline (`echo -n`). */
  newline: boolean;
}

/**
 * Every line the run prints, in time order; lazy, since a `while true` loop prints forever.
 * The `kubesim.dev/logs` annotation replaces the output (all of it at the start); a shorter
 * `kubesim.dev/run-seconds` cuts it off where the container is stopped.
 */
export function* containerLog(ref: ContainerRef & { startedAt: Date }): Generator<LogLine, void> {
  const override = ref.pod.metadata.annotations?.[LOGS_ANNOTATION];
  if (override !== undefined) {
    const lines = override.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const text of lines) yield { at: 0, text, newline: true };
    return;
  }
  const end = programOf(ref).runSeconds ?? Infinity;
  let partial: { at: number; text: string } | undefined;
  const run = runContainer(ref);
  for (let r = run.next(); !r.done; r = run.next()) {
    const ev = r.value;
    if (ev.kind !== 'output') continue;
    if (ev.at > end) break;
    const pieces = ev.text.split('\n');
    for (let i = 0; i < pieces.length - 1; i++) {
      yield { at: partial?.at ?? ev.at, text: (partial?.text ?? '') + pieces[i]!, newline: true };
      partial = undefined;
    }
    const rest = pieces[pieces.length - 1]!;
    if (rest !== '') partial = { at: partial?.at ?? ev.at, text: (partial?.text ?? '') + rest };
  }
  if (partial) yield { ...partial, newline: false };
}
