// Continue tokens, shaped as the etcd3 store's: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}.
// "start" is the key to resume from (inclusive), so the last returned key plus a NUL byte.
import * as errors from '../../errors.js';

export function encodeContinue(lastKey: string, resourceVersion: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start: `${lastKey}\u0000` })).toString('base64url');
}

export function decodeContinue(token: string): { startAfterKey: string; resourceVersion: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw errors.badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p?.v !== 'meta.k8s.io/v1') throw errors.badRequest('continue key is not valid: server does not recognize this encoded key');
  if (typeof p.rv !== 'number' || p.rv <= 0) throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.start !== 'string' || p.start === '') throw errors.badRequest('continue key is not valid: encoded start key empty');
  const start = p.start.endsWith('\u0000') ? p.start.slice(0, -1) : p.start;
  return { startAfterKey: start, resourceVersion: p.rv };
}
