// Memory per stored object: heap and RSS of a cluster before and after storing 100,000 ~1 KB
// Pods, in a child process run with --expose-gc (bench/memory-child.ts) so every reading
// follows a full collection and nothing of the benchmark's own shares the heap. The issue's
// target: at most 2 KiB per object beyond the object's own JSON size.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Figure } from '../figures.js';
import type { Scenario } from '../scenario.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface ChildResult {
  count: number;
  sample: number;
  meanJsonBytes: number;
  heapPerObject: number;
  rssPerObject: number;
  heapPerObjectSample: number;
}

async function measure(count: number, sample: number): Promise<ChildResult> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/memory-child.ts', '--count', String(count), '--sample', String(sample)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`bench/memory-child.ts exited ${code}:\n${out}`);
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

export const memory: Scenario = {
  name: 'memory',
  description: 'heap and RSS per stored object at 100,000 ~1 KB Pods (child process, --expose-gc)',
  async run(ctx) {
    const count = ctx.quick ? 1000 : 100_000;
    const sample = ctx.quick ? 100 : 2000;
    const r = await measure(count, sample);
    const scenario = `memory ${count} Pods`;
    ctx.log(`  ${count} Pods: heap ${r.heapPerObject.toFixed(0)} B, RSS ${r.rssPerObject.toFixed(0)} B, JSON ${r.meanJsonBytes.toFixed(0)} B an object`);
    const figures: Figure[] = [
      { scenario, name: 'mean JSON size of a stored Pod', value: r.meanJsonBytes, unit: 'bytes', note: 'with managedFields, as served' },
      { scenario, name: 'heap per object', value: r.heapPerObject, unit: 'bytes', note: `first ${sample} through the in-process client, the rest stored parsed copies` },
      { scenario, name: 'RSS per object', value: r.rssPerObject, unit: 'bytes' },
      {
        scenario,
        name: 'heap per object beyond its JSON size',
        value: r.heapPerObject - r.meanJsonBytes,
        unit: 'bytes',
        target: { of: 'value', op: '<=', limit: 2048 },
      },
      { scenario, name: 'RSS per object beyond its JSON size', value: r.rssPerObject - r.meanJsonBytes, unit: 'bytes' },
      {
        scenario,
        name: `heap per object, the first ${sample} (create path only)`,
        value: r.heapPerObjectSample,
        unit: 'bytes',
        note: 'fixed costs spread over fewer objects',
      },
    ];
    return figures;
  },
};
