#!/usr/bin/env node
// Launcher for the `kubesim` command. The CLI is TypeScript compiled into dist/ by
// `npm run build` (also run by the `prepare` script on `npm install`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('kubesim: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Exit on our own once done, even if a socket or timer lingers; unref'd so a clean
// process still exits at once.
setTimeout(() => process.exit(code), 1000).unref();
