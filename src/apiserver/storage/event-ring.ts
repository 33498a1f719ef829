// A bounded history of committed events per resource, for watch resume and consistent
// paging (k8s.io/apiserver pkg/storage/cacher watch_cache.go keeps the same kind of ring).
// A resourceVersion older than what the ring still holds answers 410 Expired.
import type { StoreEvent } from './interface.js';

export class EventRing {
  private readonly buf: (StoreEvent | undefined)[];
  private start = 0;
  private size = 0;
  /** Every event with resourceVersion > horizon is in the ring. */
  private horizon: number;

  constructor(
    private readonly capacity: number,
    createdAtResourceVersion: number,
  ) {
    this.buf = new Array(Math.max(1, capacity));
    this.horizon = createdAtResourceVersion;
  }

  push(ev: StoreEvent): void {
    if (this.size === this.buf.length) {
      const evicted = this.buf[this.start]!;
      this.horizon = evicted.resourceVersion;
      this.buf[this.start] = ev;
      this.start = (this.start + 1) % this.buf.length;
      return;
    }
    this.buf[(this.start + this.size) % this.buf.length] = ev;
    this.size++;
  }

  /** The oldest resourceVersion from which the full history is known. */
  get oldestResourceVersion(): number {
    return this.horizon;
  }

  /** Events with resourceVersion > rv, oldest first; undefined if rv is older than the horizon. */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.horizon) return undefined;
    const out: StoreEvent[] = [];
    // Binary search for the first event newer than rv: the ring is ordered by resourceVersion.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).resourceVersion <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): StoreEvent {
    return this.buf[(this.start + i) % this.buf.length]!;
  }
}
