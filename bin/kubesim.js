#!/usr/bin/env node
// Launcher for the `kubesim` command: the compiled dist/ when it is up to date (npm
// install builds it), as the one-file bundle when it was built with it (it starts faster);
// otherwise, in a checkout whose sources changed since, the TypeScript sources through tsx,
// so an edit is never run stale.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const bundled = new URL('../dist/cli/kubesim.mjs', import.meta.url);

async function loadMain() {
  if (existsSync(source)) {
    const { distIsFresh, freshBundle } = await import('../scripts/build-if-stale.mjs');
    if (distIsFresh()) {
      const bundle = freshBundle();
      if (bundle) return (await import(pathToFileURL(bundle).href)).main;
    } else {
      try {
        const { register } = await import('tsx/esm/api');
        register();
        return (await import(source.href)).main;
      } catch (err) {
        if (!existsSync(compiled)) throw err;
      }
    }
  }
  if (!existsSync(compiled)) {
    console.error('kubesim: dist/ is missing; run `npm run build` first');
    process.exit(1);
  }
  // An installed package has no sources: its bundle was built with its dist/.
  if (!existsSync(source) && existsSync(bundled)) return (await import(bundled.href)).main;
  return (await import(compiled.href)).main;
}

const main = await loadMain();
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Exit on our own once done, even if a socket or timer lingers; unref'd so a clean
// process still exits at once.
setTimeout(() => process.exit(code), 1000).unref();
