// `npm run bench -- --quick`: every scenario runs at tiny sizes and reports every figure, so the
// benchmark cannot rot between the runs that measure. No timing is asserted here: speed is
// measured by `npm run bench`, never by a test.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { Figure } from '../../bench/figures.js';
import { SCENARIOS } from '../../bench/scenarios/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('runs every scenario at tiny sizes and reports a number for every figure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-smoke-'));
  try {
    const out = join(dir, 'figures.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--json', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code, output).toBe(0);
    const { figures } = JSON.parse(readFileSync(out, 'utf8')) as { figures: Figure[] };
    for (const s of SCENARIOS) expect(figures.some((f) => f.scenario.startsWith(s.name)), `no figures from ${s.name}`).toBe(true);
    for (const f of figures) expect(Number.isFinite(f.value), `${f.scenario}: ${f.name} = ${f.value}`).toBe(true);
    // The table names every figure.
    for (const f of figures) expect(output).toContain(`| ${f.scenario} | ${f.name} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
