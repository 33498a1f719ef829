// A watch stream read line by line until a condition holds: no timers, the test's own timeout
// bounds a watch that never gets there.
import http from 'node:http';
import type { Obj } from './support.js';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Obj;
}

export interface Watch {
  status: Promise<number>;
  events: WatchEvent[];
  /** Resolves with every event so far once `done(event)` is true for one; rejects if the stream ends first. */
  until(done: (ev: WatchEvent) => boolean): Promise<WatchEvent[]>;
  close(): void;
}

export function watch(base: string, path: string, agent?: http.Agent): Watch {
  const events: WatchEvent[] = [];
  let waiter: { done: (ev: WatchEvent) => boolean; resolve: (e: WatchEvent[]) => void; reject: (e: Error) => void } | undefined;
  let ended: Error | undefined;
  let setStatus!: (n: number) => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const finish = (why: string) => {
    ended ??= new Error(`watch ${path} ended: ${why}`);
    waiter?.reject(ended);
    waiter = undefined;
    setStatus(0);
  };
  const req = http.get(new URL(path, base), { agent }, (res) => {
    setStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    let buf = '';
    res.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.trim()) continue;
        const ev = JSON.parse(line) as WatchEvent;
        events.push(ev);
        if (waiter?.done(ev)) {
          waiter.resolve(events);
          waiter = undefined;
        }
      }
    });
    res.on('end', () => finish('end'));
    res.on('close', () => finish('close'));
  });
  req.on('error', (e) => finish(e.message));
  return {
    status,
    events,
    until(done) {
      if (events.some(done)) return Promise.resolve(events);
      if (ended) return Promise.reject(ended);
      return new Promise((resolve, reject) => (waiter = { done, resolve, reject }));
    },
    close: () => req.destroy(),
  };
}

/** The state a list plus a watch's events give: name -> object, as an informer's cache holds it. */
export function replay(start: Map<string, Obj>, events: WatchEvent[]): Map<string, Obj> {
  const state = new Map(start);
  for (const ev of events) {
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') state.set(ev.object.metadata.name, ev.object);
    else if (ev.type === 'DELETED') state.delete(ev.object.metadata.name);
  }
  return state;
}
