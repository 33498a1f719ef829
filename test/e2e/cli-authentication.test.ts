// `kubesim serve` with authentication and TLS, as a user starts it: the kubeconfig it writes is
// the administrator's (https, the CA, a token), manifests load through it, a token file's
// users authenticate, and --auth none off loopback is refused before anything listens.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitWithin, kubesimSandbox, started } from './cli-process.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const binaries = kubectlBinaries();
const skip = requireClient(binaries.length > 0, 'kubectl');
const sandbox = kubesimSandbox('kubesim-cli-auth-');
const kubesim = sandbox.kubesim;

describe.skipIf(skip)('kubesim serve --auth token', () => {
  it('writes an administrator kubeconfig (https, CA data, token); token-file users authenticate', async () => {
    await writeFile(join(sandbox.dir(), 'tokens.csv'), 'dana-token,dana,d-1,"students"\n');
    await writeFile(join(sandbox.dir(), 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loaded}\ndata: {a: "1"}\n');
    const kubeconfigPath = join(sandbox.dir(), 'kubeconfig');
    const run = kubesim(['--port', '0', '--auth', 'token', '--token-auth-file', 'tokens.csv', '--kubeconfig', kubeconfigPath, '--controllers', 'none', '--load', 'cm.yaml']);
    const url = await started(run);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(run.stdout()).toContain('configmap/loaded created');
    expect(run.stdout()).toContain('the kubeconfig below is the administrator');
    const admin = kubectl(binaries[0]!, kubeconfigPath);
    const who = await admin(['auth', 'whoami']);
    expect(who.stdout).toMatch(/Username\s+kubernetes-admin\n/);
    expect((await admin(['get', 'configmap', 'loaded', '-o', 'jsonpath={.data.a}'])).stdout).toBe('1');
    const dana = await admin(['auth', 'whoami', '--token', 'dana-token']);
    expect(dana.stdout).toMatch(/Username\s+dana\n/);
    expect(dana.stdout).toMatch(/Groups\s+\[students system:authenticated\]/);
    run.child.kill('SIGTERM');
    expect((await exitWithin(run, 10_000)).code).toBe(0);
  }, 60_000);

  it('refuses --auth none on a non-loopback address, saying why', async () => {
    const run = kubesim(['--port', '0', '--host', '0.0.0.0', '--auth', 'none', '--controllers', 'none']);
    expect((await exitWithin(run, 15_000)).code).toBe(1);
    expect(run.stderr()).toContain('--auth none is only allowed on a loopback address');
  }, 30_000);

  it('refuses a malformed token file, naming the line', async () => {
    await writeFile(join(sandbox.dir(), 'tokens.csv'), 'ok,alice,1\nbroken\n');
    const run = kubesim(['--port', '0', '--auth', 'token', '--token-auth-file', 'tokens.csv', '--controllers', 'none']);
    expect((await exitWithin(run, 15_000)).code).toBe(1);
    expect(run.stderr()).toMatch(/must have at least 3 columns .* found 1 on line 2/);
  }, 30_000);
});
