// What a cluster's registry needs from outside: storage, the resource catalogue, and
// injected time and identity so tests and classroom demos are deterministic.
import { randomUUID } from 'node:crypto';
import type { Storage } from '../storage/interface.js';
import type { ResourceCatalog } from './catalog.js';

export interface Clock {
  now(): Date;
}

export const realClock: Clock = { now: () => new Date() };

export interface RegistryContext {
  storage: Storage;
  catalog: ResourceCatalog;
  clock: Clock;
  newUID(): string;
  /** The random suffix for generateName (5 characters from the consonant-digit alphabet, as names.SimpleNameGenerator). */
  randomSuffix(): string;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomNameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return s;
}

export function defaultIdentity(): Pick<RegistryContext, 'newUID' | 'randomSuffix'> {
  return { newUID: randomUUID, randomSuffix: randomNameSuffix };
}

/** Kubernetes timestamps are RFC 3339 with second precision ("2024-01-02T03:04:05Z"). */
export function formatTimestamp(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  // Every write stamps the time, and most writes fall in the second of the one before.
  if (second !== lastSecond) {
    lastSecond = second;
    lastFormatted = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastFormatted;
}

let lastSecond = Number.NaN;
let lastFormatted = '';
