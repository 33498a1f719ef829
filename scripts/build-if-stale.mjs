// postinstall: in a checkout of the repository, compile src/ into dist/ unless dist/ is
// already newer than every source file, so `npm install && npx kubesim` starts from
// compiled code (about three times faster than running the TypeScript through tsx).
// An installed package has no src/ and nothing to do.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The bundled CLI, when it was built with (so after) the dist/ it sits in. */
export function freshBundle(base = root) {
  const bundle = join(base, 'dist', 'cli', 'kubesim.mjs');
  const main = join(base, 'dist', 'cli', 'main.js');
  return existsSync(bundle) && existsSync(main) && statSync(bundle).mtimeMs >= statSync(main).mtimeMs ? bundle : undefined;
}

export function distIsFresh(base = root) {
  const marker = join(base, 'dist', 'cli', 'main.js');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= Math.max(newestMtime(join(base, 'src')), statSync(join(base, 'tsconfig.json')).mtimeMs);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, 'src')) || !existsSync(join(root, 'tsconfig.build.json'))) process.exit(0);
  let tsc;
  try {
    tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    process.exit(0); // no dev dependencies: the launcher falls back to dist/ as shipped
  }
  if (!distIsFresh()) {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
    const { bundleCli } = await import('./bundle-cli.mjs');
    await bundleCli(root).catch((err) => console.error(`kubesim: could not bundle the CLI (it runs from dist/ unbundled): ${err.message}`));
  }
}
