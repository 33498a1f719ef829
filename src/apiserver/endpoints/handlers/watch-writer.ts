// How a watch stream's events reach its socket. Events are queued and every stream with
// something queued is flushed once per turn of the event loop (setImmediate, after the I/O
// that produced them), as kube-apiserver's watch server flushes only once its event channel is
// empty: the events of a burst go out in one write per stream instead of one write (a syscall)
// per event per watcher, and the write that committed them answers before the fan-out runs.
// A stream whose unsent bytes pass the limit is cut off (the cacher terminates blocked watchers).
import type { ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/** Where a watch stream's bytes go: the response (chunkedSink), or a fake in tests. */
export interface WatchSink {
  /** Writes the events, in order, as one HTTP chunk. */
  write(events: readonly Buffer[], bytes: number): void;
  end(): void;
  destroy(): void;
  /** Bytes written but not yet taken by the kernel. */
  readonly writableLength: number;
}

const CRLF = Buffer.from('\r\n');

// The last chunk framed: watchers of the same events flushed one after another (every plain
// watcher of a namespace, in a burst) share one framed Buffer instead of a copy each.
let lastEvents: readonly Buffer[] = [];
let lastFrame: Buffer | undefined;

/** `events` as one HTTP/1.1 chunk: size in hex, CRLF, the bytes, CRLF. */
export function frameChunk(events: readonly Buffer[], bytes: number): Buffer {
  if (lastFrame && events.length === lastEvents.length && events.every((e, i) => e === lastEvents[i])) return lastFrame;
  const size = Buffer.from(`${bytes.toString(16)}\r\n`, 'latin1');
  lastFrame = Buffer.concat([size, ...events, CRLF], size.length + bytes + CRLF.length);
  lastEvents = events;
  return lastFrame;
}

/**
 * The response as a WatchSink. Once the headers are out, each flush goes to the socket as one
 * ready-framed HTTP/1.1 chunk (size line, events, CRLF) in one write: res.write would frame
 * it in four writes, cork the socket and uncork it on the next tick, which is most of a
 * 1,000-watcher fan-out's cost. res.end() still writes the last chunk, after ours.
 */
export function chunkedSink(res: ServerResponse): WatchSink {
  const socket = res.socket;
  // chunkedEncoding: node's own record that it frames this response in chunks (set from our
  // Transfer-Encoding header). Anything else goes through res.write: no socket yet, or the
  // in-process client's response (light-my-request), whose socket is a stand-in.
  const direct = socket instanceof Socket && res.headersSent && (res as { chunkedEncoding?: boolean }).chunkedEncoding === true;
  return {
    write(events, bytes) {
      if (direct && socket) {
        socket.write(frameChunk(events, bytes));
      } else {
        res.write(events.length === 1 ? events[0]! : Buffer.concat(events as Buffer[], bytes));
      }
    },
    end: () => {
      if (!res.writableEnded) res.end();
    },
    destroy: () => res.destroy(),
    get writableLength() {
      return direct && socket ? socket.writableLength : res.writableLength;
    },
  };
}

export interface WatchWriterOptions {
  /** Bytes the stream may have unsent before it is cut off. */
  maxPendingBytes: number;
  /** Called once when the stream is cut off for being too slow. */
  onOverflow: () => void;
  /** Runs every queued flush soon; tests flush by hand. Default: one setImmediate per turn for all streams. */
  schedule?: (writer: WatchWriter) => void;
}

const due = new Set<WatchWriter>();
let scheduled = false;

function flushDue(): void {
  scheduled = false;
  // Writers queued while flushing (none today: flushing queues nothing) wait for the next turn.
  const writers = [...due];
  due.clear();
  for (const w of writers) w.flush();
  // Let the last frame's memory go.
  lastEvents = [];
  lastFrame = undefined;
}

function scheduleOnNextTurn(writer: WatchWriter): void {
  due.add(writer);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushDue);
  }
}

export class WatchWriter {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private done = false;
  private readonly schedule: (writer: WatchWriter) => void;

  constructor(
    private readonly sink: WatchSink,
    private readonly opts: WatchWriterOptions,
  ) {
    this.schedule = opts.schedule ?? scheduleOnNextTurn;
  }

  /** Queues one encoded event (shared bytes: never modified). */
  send(chunk: Buffer): void {
    if (this.done) return;
    if (this.queue.length === 0) this.schedule(this);
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    // The socket's own backlog is checked after each flush: reading it per event costs a fan-out dearly.
    if (this.queuedBytes > this.opts.maxPendingBytes) this.overflow();
  }

  /** Writes everything queued as one chunk. */
  flush(): void {
    if (this.done || this.queue.length === 0) return;
    const events = this.queue;
    const bytes = this.queuedBytes;
    this.queue = [];
    this.queuedBytes = 0;
    this.sink.write(events, bytes);
    if (this.sink.writableLength > this.opts.maxPendingBytes) this.overflow();
  }

  /** Sends what is queued and ends the stream (timeout, server stop, an ERROR event). */
  end(): void {
    if (this.done) return;
    this.flush();
    this.done = true;
    due.delete(this);
    this.sink.end();
  }

  /** The client went away: drop what is queued. */
  abandon(): void {
    this.done = true;
    this.queue = [];
    due.delete(this);
  }

  private overflow(): void {
    this.abandon();
    this.sink.destroy();
    this.opts.onOverflow();
  }
}
