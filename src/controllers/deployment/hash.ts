// The pod-template-hash (k8s.io/kubernetes pkg/controller controller_utils.go ComputeHash).
// Kube hashes a spew dump of the template with FNV-32a, appends collisionCount as four
// little-endian bytes, and renders the decimal number with rand.SafeEncodeString. We hash a
// canonical JSON rendering instead of the Go dump (keys sorted, so equal templates hash
// equally whatever order their keys arrived in); the rest is as kube does it, so names look
// like kube's ("web-7d4b9c8f5") though the values differ.

/**
 * Keys sorted at every level, so equal objects render identically. A null field counts as
 * absent, as it does once Go decodes it: kubectl sends a template's `creationTimestamp: null`
 * back on `rollout undo`, and that template must still match the ReplicaSet it came from.
 */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJSON(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** FNV-1a, 32 bits (Go hash/fnv New32a). */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Consonants and digits without vowels or look-alikes (k8s.io/apimachinery util/rand). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character mapped to ALPHANUMS[code % 27]. */
export function safeEncodeString(s: string): string {
  return [...s].map((c) => ALPHANUMS[c.codePointAt(0)! % ALPHANUMS.length]).join('');
}

export function computeHash(template: unknown, collisionCount?: number): string {
  const text = new TextEncoder().encode(canonicalJSON(template));
  let h = fnv32a(text);
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(4);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
