// What the store keeps: a fresh parse of the written object's JSON, frozen. The objects a write
// hands over are immer's copies (object spreads, then frozen), which V8 holds in a larger
// representation than the same object parsed from JSON: 5,000 Pods of ~1.4 KB through the
// create pipeline took 4.2 KB of heap each stored as immer left them, 3.6 KB stored this way
// (bench/scenarios/memory.ts). A stored object is JSON by contract (it is served as JSON), so
// the round trip loses nothing a client sees; it costs a stringify and a parse per write,
// ~10-30 us for a Pod against the create pipeline's ~1 ms. Versions no longer share subtrees,
// which the bounded event ring's prevObjects pay for (at most its size in full copies).
import { deepFreeze, type KubeObject } from '../object.js';

/** `obj` as stored at `resourceVersion`: a frozen copy that shares nothing with the caller's. */
export function storedCopy(obj: KubeObject, resourceVersion: number): KubeObject {
  // resourceVersion keeps its place among the metadata fields, or comes last when it had none.
  const json = JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(resourceVersion) } });
  const copy = deepFreeze(JSON.parse(json) as KubeObject);
  lastWritten = { object: copy, json };
  return copy;
}

/**
 * The last object written and the JSON it was parsed from, which is exactly its serialisation:
 * the write's response and its watch events reuse it, so a write serialises its object once.
 * One slot, replaced by the next write, so it holds no memory per object.
 */
let lastWritten: { object: KubeObject; json: string } | undefined;

/** JSON.stringify(value), without the work when it is the object just written. */
export function toJSON(value: unknown): string {
  return lastWritten !== undefined && value === lastWritten.object ? lastWritten.json : JSON.stringify(value);
}
