// The official Python client (Debian's python3-kubernetes, installed by .ci/run) against kubesim.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { requireClient, run } from './support.js';

/** Debian's python3 has the module; a python3 earlier on PATH (pyenv, venv) may not. */
function pythonWithKubernetes(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(py, ['-c', 'import kubernetes'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const python = pythonWithKubernetes();
const skip = requireClient(python !== undefined, 'the Python kubernetes client (Debian package python3-kubernetes)');
let cluster: Cluster;

beforeAll(async () => {
  if (!skip) cluster = await startCluster();
});
afterAll(async () => cluster?.stop());

it.skipIf(Boolean(skip))('python3-kubernetes: CRUD, merge patch, 409, selectors, deployment defaults, watch', async () => {
  const script = fileURLToPath(new URL('./python/client_smoke.py', import.meta.url));
  const res = await run(python!, [script, cluster.kubeconfigPath], {}, 60_000);
  expect(res.code, res.stderr).toBe(0);
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!);
  expect(out.namespaces).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  expect(out.patched).toEqual({ hello: 'there' });
  expect(out.conflict).toEqual({ status: 409, reason: 'Conflict' });
  expect(out.selected).toEqual(['greeting']);
  expect(out.deployment).toEqual({ replicas: 2, strategy: 'RollingUpdate' });
  expect(out.watch).toEqual([['ADDED', 'greeting']]);
  expect(out.after_delete).toBe(404);
});
