// npm run fuzz: the property tests of test/property (not the soak) with many more runs and a
// fresh seed, printed first so a failure can be replayed:
//   FUZZ_SEED=<seed> FUZZ_SCALE=<scale> npm run fuzz
// FUZZ_SCALE multiplies every property's run count (default 20 here; the suite runs 1).
import { spawnSync } from 'node:child_process';

const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const scale = process.env.FUZZ_SCALE ?? '20';
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_SCALE=${scale}`);
const r = spawnSync('npx', ['vitest', 'run', 'test/property', '--exclude', 'test/property/soak.test.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_SCALE: scale },
});
if (r.status !== 0) console.log(`fuzz failed; replay with: FUZZ_SEED=${seed} FUZZ_SCALE=${scale} npm run fuzz`);
process.exit(r.status ?? 1);
