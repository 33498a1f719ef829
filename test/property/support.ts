// Shared helpers for the property-based tests: run counts and seed (CI: fixed and small;
// `npm run fuzz`: larger, seed printed), the Status shape every rejection must have, and
// snapshots of stored state to prove a rejected request changed nothing.
import { expect } from 'vitest';
import type { Parameters } from 'fast-check';
import type { Res } from '../e2e/http-client.js';

/** The seed CI replays; `FUZZ_SEED=<n>` replays another run (the fuzz script prints its seed). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20260901);
/** Multiplies every property's run count: 1 in the suite, larger under `npm run fuzz`. */
export const FUZZ_SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));

/** A property's test timeout, grown with its run count (not a timing assertion: a bound on a hang). */
export const propertyTimeout = (ms: number): number => ms * FUZZ_SCALE;

export function fcParams<T>(runs: number): Parameters<T> {
  return { numRuns: Math.ceil(runs * FUZZ_SCALE), seed: FUZZ_SEED, endOnFailure: true };
}

/** The reasons kube-apiserver gives (metav1.StatusReason) that a client may meet here. */
const REASONS = new Set([
  'BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'AlreadyExists', 'Conflict', 'Gone', 'Invalid',
  'ServerTimeout', 'Timeout', 'TooManyRequests', 'MethodNotAllowed', 'NotAcceptable', 'RequestEntityTooLarge',
  'UnsupportedMediaType', 'Expired', 'InternalError',
]);

/** A failed request answers a metav1.Status whose code is the HTTP status and whose reason is kube's. */
export function expectFailureStatus(res: Res, code?: number, reason?: string | string[]): void {
  expect(res.status, res.text.slice(0, 500)).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text.slice(0, 500)).toBeLessThan(500);
  const body = res.body;
  expect(body, res.text.slice(0, 500)).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: res.status });
  expect(typeof body.message).toBe('string');
  expect(REASONS.has(body.reason), `reason ${body.reason}`).toBe(true);
  if (code !== undefined) expect(res.status, res.text.slice(0, 500)).toBe(code);
  if (reason !== undefined) expect(Array.isArray(reason) ? reason : [reason], res.text.slice(0, 500)).toContain(body.reason);
}

/** No answer is a 5xx: kubesim has no documented case for one in these tests. */
export function expectNo5xx(res: Res): void {
  expect(res.status, res.text.slice(0, 500)).toBeLessThan(500);
}

export const rvOf = (o: { metadata?: { resourceVersion?: string } }): bigint => BigInt(o.metadata?.resourceVersion ?? '0');

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Name -> stored object, for comparing whole lists. */
export function byName(items: Obj[]): Map<string, Obj> {
  return new Map(items.map((o) => [o.metadata.name as string, o]));
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
