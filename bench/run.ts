// `npm run bench`: every scenario in one go, a table of figures (markdown, as the README
// shows it), and `--json FILE` for the figures. Throughput is measured beside a bare fastify
// server in the same run (bench/baseline/), so the ratios travel between machines even
// though the absolute numbers do not.
//
//   npm run bench                       everything (under 10 minutes on 2 cores)
//   npm run bench -- --only a,b         some scenarios
//   npm run bench -- --quick            tiny sizes: the smoke run `npm test` does
//   npm run bench -- --json out.json    also write the figures
//   npm run bench -- --profile NAME     a CPU profile of one scenario (bench-NAME.cpuprofile)
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, totalmem, platform, release } from 'node:os';
import { parseArgs } from 'node:util';
import { formatTable, meets, type Figure } from './figures.js';
import type { Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('npm run bench -- [--only a,b] [--quick] [--json FILE] [--profile NAME]\n');
  for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(14)} ${s.description}`);
  process.exit(0);
}

function pick(): Scenario[] {
  const wanted = values.profile ? [values.profile] : values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted) return SCENARIOS;
  const unknown = wanted.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  return SCENARIOS.filter((s) => wanted.includes(s.name));
}

const ctx = { quick: values.quick, log: (m: string) => console.error(m) };
const figures: Figure[] = [];
const started = Date.now();
for (const scenario of pick()) {
  ctx.log(`# ${scenario.name}: ${scenario.description}`);
  const t0 = Date.now();
  if (values.profile) {
    // The scenario's own process; servers in child processes profile themselves (--cpu-prof).
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    figures.push(...(await scenario.run(ctx)));
    const { profile } = await session.post('Profiler.stop');
    const file = `bench-${scenario.name}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    ctx.log(`wrote ${file} (open it in Chrome DevTools > Performance, or speedscope)`);
    session.disconnect();
  } else {
    figures.push(...(await scenario.run(ctx)));
  }
  ctx.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const machine = {
  cpus: `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown'}`,
  memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
  os: `${platform()} ${release()}`,
  node: process.version,
};
console.log(`kubesim benchmark, ${new Date().toISOString().slice(0, 10)}, ${machine.cpus}, ${machine.memory}, Node ${machine.node}${values.quick ? ' (quick: sizes too small to mean anything)' : ''}\n`);
console.log(formatTable(figures));
const missed = figures.filter((f) => meets(f) === false).length;
console.log(`\n${figures.length} figures, ${missed} target${missed === 1 ? '' : 's'} missed, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine, quick: values.quick, figures }, null, 2)}\n`);
// Servers, sockets and timers of the scenarios must not keep the process alive.
process.exit(0);
