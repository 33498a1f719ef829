// WATCH (k8s.io/apiserver pkg/endpoints/handlers/watch.go + the cacher): a chunked stream of
// newline-delimited {"type","object"} events. Each stored event is serialised once and the
// same bytes go to every plain watcher, flushed once per event-loop turn (watch-writer.ts); a
// watcher whose connection stops draining is cut off (the client relists or resumes) instead
// of holding the server's memory.
import type { ServerResponse } from 'node:http';
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { storageToStatus } from '../../registry/generic-store.js';
import { apiVersionOf } from '../../registry/strategy.js';
import type { DeliveredEvent, StoreEvent, WatchHandle } from '../../storage/interface.js';
import { toJSON } from '../../storage/stored-copy.js';
import { negotiateOutput, type OutputTarget } from '../negotiation.js';
import type { ApiRequest } from '../request.js';
import { includeObjectOf, partialObjectMetadata, toTable } from '../table.js';
import { listParamsOf, parseResourceVersion, selectionOf, type ListParams } from './list-options.js';
import { chunkedSink, WatchWriter } from './watch-writer.js';

export interface WatchServerOptions {
  /** How often an idle watch with allowWatchBookmarks gets a BOOKMARK (ms). */
  bookmarkIntervalMs: number;
  /** Bytes a watcher may have unsent before it is cut off. */
  maxPendingBytes: number;
  /** Default watch lifetime when the client sets no timeoutSeconds (kube: 30-60 min). */
  defaultTimeoutSeconds: () => number;
  /** Registers an open watch's closer (so stopping the server ends every watch); returns its unregister. */
  track?: (close: () => void) => () => void;
}

// Encoded to UTF-8 once too: a string written to each socket would be encoded per watcher.
const serialised = new WeakMap<StoreEvent, Buffer>();

function plainLine(ev: DeliveredEvent): Buffer {
  if (ev.source && ev.source.type === ev.type) {
    let line = serialised.get(ev.source);
    if (line === undefined) {
      line = Buffer.from(`{"type":"${ev.type}","object":${toJSON(ev.object)}}\n`);
      serialised.set(ev.source, line);
    }
    return line;
  }
  return Buffer.from(`{"type":"${ev.type}","object":${JSON.stringify(ev.object)}}\n`);
}

/**
 * Validates the watch request (errors here are ordinary HTTP Status responses) and returns
 * the function that streams it once the response is taken over.
 */
export function watchHandler(r: ApiRequest, opts: WatchServerOptions): (res: ServerResponse) => void {
  const params = listParamsOf(r.query, true);
  const sel = selectionOf(r.rt, r.query);
  const target = negotiateOutput(r.headers.accept, false);
  return (res) => streamWatch(r, res, opts, params, sel.predicate, target);
}

function streamWatch(
  r: ApiRequest,
  res: ServerResponse,
  opts: WatchServerOptions,
  params: ListParams,
  selPredicate: ((o: KubeObject) => boolean) | undefined,
  target: OutputTarget,
): void {
  const storage = r.ctx.storage;
  const namespace = r.rt.namespaced && r.info.namespace ? r.info.namespace : undefined;
  // A watch on one object (GET .../name?watch=1) is a watch with a name field selector.
  const name = r.info.name;
  const predicate =
    name && selPredicate ? (o: KubeObject) => o.metadata.name === name && selPredicate(o) : name ? (o: KubeObject) => o.metadata.name === name : selPredicate;

  const now = () => r.ctx.clock.now().getTime();
  const encode = (ev: DeliveredEvent): Buffer | string => {
    switch (target.as) {
      case 'object':
        return plainLine(ev);
      case 'Table':
        return `${JSON.stringify({ type: ev.type, object: toTable(r.rt, [ev.object], now(), { include: includeObjectOf(r.query), version: target.version }) })}\n`;
      default:
        return `${JSON.stringify({ type: ev.type, object: partialObjectMetadata(ev.object, 'version' in target ? target.version : 'v1') })}\n`;
    }
  };
  const bookmark = (rv: number, initialEventsEnd = false): string => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return `${JSON.stringify({ type: 'BOOKMARK', object: { kind: r.rt.kind, apiVersion: apiVersionOf(r.rt), metadata } })}\n`;
  };

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let handle: WatchHandle | undefined;
  let closed = false;
  let lastRV = storage.resourceVersion;
  const timers: NodeJS.Timeout[] = [];
  let untrack: (() => void) | undefined;
  const stop = () => {
    closed = true;
    untrack?.();
    handle?.stop();
    for (const t of timers) clearTimeout(t);
  };
  // Too slow to keep up: the writer destroys the socket, as the cacher terminates blocked watchers.
  const writer = new WatchWriter(chunkedSink(res), { maxPendingBytes: opts.maxPendingBytes, onOverflow: () => closed || stop() });
  const close = () => {
    if (closed) return;
    stop();
    writer.end();
  };
  untrack = opts.track?.(close);
  res.on('close', () => {
    if (closed) return;
    stop();
    writer.abandon();
  });

  const write = (chunk: Buffer | string) => {
    if (closed) return;
    writer.send(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  };
  const onEvent = (ev: DeliveredEvent) => {
    lastRV = Number(ev.object.metadata.resourceVersion ?? lastRV);
    try {
      if (r.rt.conversion) {
        // Served in another version than stored: converted per watcher, so not the shared bytes.
        const object = r.store.fromStorage(ev.object);
        if (object !== ev.object) ev = { type: ev.type, object };
      }
      write(encode(ev));
    } catch (e) {
      // Runs inside another request's write: end this watch with the error, never that write.
      write(`${JSON.stringify({ type: 'ERROR', object: errors.toStatusError(e).status })}\n`);
      close();
    }
  };

  // Which starting point: the current state (rv unset or "0"), or events after rv.
  let sendInitialState = false;
  let sinceResourceVersion: number | undefined;
  try {
    if (params.sendInitialEvents !== undefined) {
      sendInitialState = params.sendInitialEvents;
      if (params.resourceVersion !== undefined && params.resourceVersion !== '0') {
        const rv = parseResourceVersion(params.resourceVersion);
        if (rv > storage.resourceVersion) throw errors.tooLargeResourceVersion(rv, storage.resourceVersion);
        if (!sendInitialState) sinceResourceVersion = rv;
      }
    } else if (params.resourceVersion === undefined || params.resourceVersion === '0') {
      sendInitialState = true;
    } else {
      sinceResourceVersion = parseResourceVersion(params.resourceVersion);
    }
    try {
      handle = storage.watch(r.store.resource, { namespace, predicate, sendInitialState, sinceResourceVersion }, onEvent);
    } catch (e) {
      throw storageToStatus(r.rt, '', e);
    }
  } catch (e) {
    // Errors after the stream started are ERROR events carrying a Status (410 Gone for an expired resourceVersion).
    const status = errors.toStatusError(e).status;
    write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    close();
    return;
  }
  if (params.sendInitialEvents) write(bookmark(handle.startResourceVersion, true));

  if (params.allowWatchBookmarks) {
    const tick = () => {
      if (closed) return;
      write(bookmark(Math.max(lastRV, storage.resourceVersion)));
      timers[0] = setTimeout(tick, opts.bookmarkIntervalMs);
    };
    timers[0] = setTimeout(tick, opts.bookmarkIntervalMs);
  }
  const timeoutSeconds = params.timeoutSeconds ?? opts.defaultTimeoutSeconds();
  timers.push(setTimeout(close, timeoutSeconds * 1000));
}
