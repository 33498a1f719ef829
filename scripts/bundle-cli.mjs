// The `kubesim` command as one file (dist/cli/kubesim.mjs), bundled with esbuild after tsc has
// built dist/: loading one module instead of some 500 (ours and fastify's, ajv's, yaml's ...)
// is the largest part of the CLI's start-up that can go. The library entry (dist/index.js)
// stays unbundled for importers. Beside dist/cli/main.js, so paths relative to the module
// (../../package.json) hold in both.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const BUNDLE = join('dist', 'cli', 'kubesim.mjs');

export async function bundleCli(base = root) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(base, 'src', 'cli', 'main.ts')],
    outfile: join(base, BUNDLE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // Bundled CommonJS dependencies (fastify, ajv) call require() for Node's own modules.
    banner: { js: "import { createRequire as __kubesimRequire } from 'node:module'; const require = __kubesimRequire(import.meta.url);" },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, 'src'))) process.exit(0);
  await bundleCli();
}
