import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { freshBundle } from '../../../scripts/build-if-stale.mjs';

describe('freshBundle (which CLI the launcher runs)', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const setup = (files: Record<string, number>) => {
    dir = mkdtempSync(join(tmpdir(), 'kubesim-bundle-'));
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    for (const [name, mtime] of Object.entries(files)) {
      const p = join(dir, 'dist', 'cli', name);
      writeFileSync(p, '');
      utimesSync(p, mtime, mtime);
    }
  };

  it.each([
    ['built with dist', { 'main.js': 1000, 'kubesim.mjs': 1001 }, true],
    ['older than dist (a tsc-only rebuild since)', { 'main.js': 1000, 'kubesim.mjs': 999 }, false],
    ['missing', { 'main.js': 1000 }, false],
    ['without dist', { 'kubesim.mjs': 1000 }, false],
  ] as const)('a bundle %s: %s', (_name, files, expected) => {
    setup(files);
    expect(freshBundle(dir) !== undefined).toBe(expected);
  });
});
