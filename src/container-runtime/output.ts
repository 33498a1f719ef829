// A container run's log: the lines it prints, each stamped with the second (after the run
// started) it appeared, as the container runtime's log file records them. Recomputed from the
// pod whenever asked, so the API server needs nothing but the pod to serve `pods/log`.
import type { RuntimeEvent } from './interpreter.js';
import { LOGS_ANNOTATION, programOf, runContainer, type ContainerRef } from './program.js';

export interface LogLine {
  /** Seconds after the run started. */
  at: number;
  /** The line without its newline. */
  text: string;
  /** False for a last line printed without a newline (`echo -n`). */
  newline: boolean;
}

/** The `kubesim.dev/logs` annotation as the whole output, printed at the start. */
function* cannedOutput(text: string): Generator<RuntimeEvent, void> {
  yield { kind: 'output', at: 0, text: text.endsWith('\n') || text === '' ? text : `${text}\n` };
}

/**
 * Reads a run's log in time order, as far as asked. The run is interpreted lazily (a
 * `while true` loop prints forever), and only up to the time asked for, so reading an
 * endless program that prints nothing still returns. The `kubesim.dev/logs` annotation
 * replaces the output; a shorter `kubesim.dev/run-seconds` cuts it off where the container
 * is stopped.
 */
export class ContainerLogReader {
  private readonly events: Generator<RuntimeEvent, unknown>;
  private readonly end: number;
  /** The next event not yet consumed (its time is past what was read). */
  private pending: RuntimeEvent & { at: number } | undefined;
  private exhausted = false;
  /** A line begun but not ended (`echo -n`): when it began and its text so far. */
  private partial: { at: number; text: string } | undefined;

  constructor(ref: ContainerRef & { startedAt: Date }) {
    const canned = ref.pod.metadata.annotations?.[LOGS_ANNOTATION];
    this.events = canned !== undefined ? cannedOutput(canned) : runContainer(ref);
    this.end = canned !== undefined ? Infinity : (programOf(ref).runSeconds ?? Infinity);
  }

  /** When the next event (a line, or the run's clock moving) happens; Infinity when none will. */
  nextEventAt(): number {
    while (!this.pending && !this.exhausted) {
      const r = this.events.next();
      if (r.done || (r.value.kind !== 'forever' && r.value.at > this.end)) this.exhausted = true;
      else if (r.value.kind !== 'forever') this.pending = r.value;
    }
    return this.pending ? this.pending.at : Infinity;
  }

  /** The lines completed by `until` seconds after the start, not read before. */
  read(until: number): LogLine[] {
    const out: LogLine[] = [];
    while (this.nextEventAt() <= until && this.pending) {
      const ev = this.pending;
      this.pending = undefined;
      if (ev.kind !== 'output') continue;
      const pieces = ev.text.split('\n');
      for (let i = 0; i < pieces.length - 1; i++) {
        out.push({ at: this.partial?.at ?? ev.at, text: (this.partial?.text ?? '') + pieces[i]!, newline: true });
        this.partial = undefined;
      }
      const rest = pieces[pieces.length - 1]!;
      if (rest !== '') this.partial = { at: this.partial?.at ?? ev.at, text: (this.partial?.text ?? '') + rest };
    }
    // A last line without a newline is written once the run has nothing more to print.
    if (this.exhausted && this.partial) {
      out.push({ ...this.partial, newline: false });
      this.partial = undefined;
    }
    return out;
  }
}
