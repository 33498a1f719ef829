// What the store keeps: a fresh parse of the written object's JSON, frozen. The objects a write
// hands over are immer's copies (object spreads, then frozen), which V8 holds in a larger
// representation than the same object parsed from JSON: 5,000 Pods of ~1.4 KB through the
// create pipeline took 4.2 KB of heap each stored as immer left them, 3.6 KB stored this way
// (bench/scenarios/memory.ts). A stored object is JSON by contract (it is served as JSON), so
// the round trip loses nothing a client sees; it costs a stringify and a parse per write,
// ~10-30 us for a Pod against the create pipeline's ~1 ms. Versions no longer share subtrees,
// which the bounded event ring's prevObjects pay for (at most its size in full copies).
import type { KubeObject } from '../object.js';

function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) for (const item of v) deepFreeze(item);
  else for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
  return Object.freeze(v);
}

/** `obj` as stored at `resourceVersion`: a frozen copy that shares nothing with the caller's. */
export function storedCopy(obj: KubeObject, resourceVersion: number): KubeObject {
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject;
  copy.metadata.resourceVersion = String(resourceVersion);
  return deepFreeze(copy);
}
