// What the store keeps: a fresh parse of the written object's JSON, frozen. The objects a write
// hands over are immer's copies (object spreads, then frozen), which V8 holds in a larger
// representation than the same object parsed from JSON: a ~1.4 KB Pod out of the create
// pipeline took ~1.3 KB more heap than its parse (bench/scenarios/memory.ts measures it).
// A stored object is JSON by contract (it is served as JSON), so the round trip loses nothing
// a client could see; it costs ~10 us a write against the ~1 ms of the create pipeline.
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
