// Turning a chunked watch body into events (client-go watch.StreamWatcher over a
// json framer): chunks split anywhere, even inside a UTF-8 character, so bytes are buffered
// until a newline completes an event. A line that does not decode ends the watch with an
// ERROR event, as StreamWatcher reports "unable to decode an event from the watch stream"
// instead of dropping it.
import { finished } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { KubeObject } from '../apiserver/object.js';
import type { WatchEvent, WatchStream } from './interfaces.js';
import type { TransportStream } from './transport.js';

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Splits text into complete lines, keeping the unfinished tail for the next chunk. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  push(chunk: Buffer | string): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, i).trim();
      this.buffer = this.buffer.slice(i + 1);
      if (line !== '') lines.push(line);
    }
    return lines;
  }

  /** What is left when the stream ends: a last event the server sent without its newline. */
  end(): string[] {
    const rest = (this.buffer + this.decoder.end()).trim();
    this.buffer = '';
    return rest === '' ? [] : [rest];
  }
}

export function decodeEvent<T>(line: string): WatchEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    throw new Error(`unable to decode an event from the watch stream: ${(e as Error).message}`);
  }
  const ev = parsed as { type?: unknown; object?: unknown };
  if (typeof ev !== 'object' || ev === null || typeof ev.type !== 'string' || !EVENT_TYPES.has(ev.type) || typeof ev.object !== 'object' || ev.object === null) {
    throw new Error(`unable to decode an event from the watch stream: not a watch event: ${line.slice(0, 200)}`);
  }
  return ev as WatchEvent<T>;
}

/** The Status an ERROR event carries for a failure on the client side (apierrors.NewInternalError). */
function internalErrorEvent<T>(message: string): WatchEvent<T> {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message };
  return { type: 'ERROR', object: status as unknown as T };
}

/**
 * Delivers the events of an open watch response. `done` resolves when the server ends the
 * stream or stop() is called, and rejects on a connection error or when the callback throws
 * (the watch is stopped then, so a broken handler never keeps receiving).
 */
export function consumeWatch<T extends KubeObject>(res: TransportStream, onEvent: (ev: WatchEvent<T>) => void): WatchStream {
  const lines = new LineSplitter();
  let stopped = false;
  let failure: unknown;
  let resolveDone!: () => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // A caller that only uses the callback must not see an unhandled rejection.
  done.catch(() => undefined);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    res.cancel();
    res.body.destroy();
  };
  const deliver = (batch: string[]) => {
    for (const line of batch) {
      if (stopped) return;
      let ev: WatchEvent<T>;
      try {
        ev = decodeEvent<T>(line);
      } catch (e) {
        ev = internalErrorEvent<T>((e as Error).message);
        stopOnError(undefined);
      }
      try {
        onEvent(ev);
      } catch (e) {
        stopOnError(e);
        return;
      }
    }
  };
  const stopOnError = (e: unknown) => {
    if (failure === undefined && e !== undefined) failure = e;
    stop();
  };

  res.body.on('data', (chunk: Buffer | string) => deliver(lines.push(chunk)));
  finished(res.body, (err) => {
    const broken = err !== undefined && err !== null && !stopped;
    // Only a cleanly ended stream has a last event to flush; a cut-off one has half a line.
    if (!stopped && !broken) deliver(lines.end());
    stopped = true;
    if (failure !== undefined) rejectDone(failure);
    else if (broken) rejectDone(err);
    else resolveDone();
  });
  return { stop, done };
}
