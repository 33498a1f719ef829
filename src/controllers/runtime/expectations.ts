// What a controller is still waiting to see in its informer cache after its own writes
// (k8s.io/kubernetes pkg/controller controller_utils.go ControllerExpectations and
// UIDTrackingControllerExpectations). A sync that finds the cache behind its last creates or
// deletes must not act on it, or it would create or delete the same pods twice; it still
// updates status. Creations are counted (an ADDED event can arrive before the create's
// response); deletions are tracked by pod key, so a pod seen deleted twice counts once.
// Expectations older than five minutes are treated as met, so a lost event cannot wedge an
// owner forever (ExpectationsTimeout).

/** kube's ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Pending {
  adds: number;
  deletes: Set<string>;
  /** When these expectations were last set (wall time, as kube's clock.RealClock). */
  since: number;
}

export class ControllerExpectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The owner `key` is about to create `n` objects (ExpectCreations, which replaces what was there). */
  expectCreations(key: string, n: number): void {
    this.pending.set(key, { adds: n, deletes: new Set(), since: this.now() });
  }

  /** The owner is about to delete these objects, by namespace/name (ExpectDeletions). */
  expectDeletions(key: string, objectKeys: string[]): void {
    this.pending.set(key, { adds: 0, deletes: new Set(objectKeys), since: this.now() });
  }

  /** An object the owner created has been seen, or a create failed (CreationObserved). */
  creationObserved(key: string): void {
    const p = this.pending.get(key);
    if (p && p.adds > 0) p.adds--;
  }

  /** Creates that will never happen, e.g. the rest of a batch after a failure (LowerExpectations). */
  lowerCreations(key: string, n: number): void {
    const p = this.pending.get(key);
    if (p) p.adds = Math.max(0, p.adds - n);
  }

  /** An object the owner deleted is gone or being deleted, or its delete failed (DeletionObserved). */
  deletionObserved(key: string, objectKey: string): void {
    this.pending.get(key)?.deletes.delete(objectKey);
  }

  /** Whether the owner may act on its cache (SatisfiedExpectations): nothing pending, or pending too long. */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    if ((p.adds <= 0 && p.deletes.size === 0) || this.now() - p.since > EXPECTATIONS_TIMEOUT_MS) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  /** The owner is gone (DeleteExpectations). */
  forget(key: string): void {
    this.pending.delete(key);
  }
}
