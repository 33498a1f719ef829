// The CronTab lesson with real kubectl: a CRD extends the API, and custom resources are
// validated, defaulted, pruned, printed, scaled and deleted as on a real cluster.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const all = kubectlBinaries();
// The default kubectl and the oldest and newest versioned ones.
const binaries = all.filter((b, i) => i === 0 || i === 1 || i === all.length - 1);
const skip = requireClient(all.length > 1, 'kubectl (with kubectl.1.27 .. kubectl.1.33 beside it)');

function crontab(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name, namespace: 'default' }, spec });
}

describe.skipIf(Boolean(skip)).each(binaries)('$name: CronTab CRD', (bin) => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-crd-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    cluster = await startCluster({ controllers: 'none' }); // the crontab controller would install the CRD first
    k = kubectl(bin, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  it('applies the CRD and waits for Established', async () => {
    const apply = await k(['apply', '-f', `${testdata}crontab-crd.yaml`]);
    expect(apply.stdout, apply.stderr).toContain('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created');
    const wait = await k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=10s']);
    expect(wait.stdout, wait.stderr).toContain('condition met');
  });

  it('creates a CronTab with its default, and prints the columns', async () => {
    const res = await k(['apply', '-f', file('ok.json', crontab('my-new-cron-object', { cronSpec: '* * * * */5', image: 'my-awesome-cron-image' }))]);
    expect(res.stdout, res.stderr).toContain('crontab.stable.example.com/my-new-cron-object created');
    const got = JSON.parse((await k(['get', 'ct', 'my-new-cron-object', '-o', 'json'])).stdout);
    expect(got.spec.replicas).toBe(1);
    const table = await k(['get', 'ct']);
    expect(table.stdout).toMatch(/^NAME\s+SPEC\s+REPLICAS\s+AGE$/m);
    expect(table.stdout).toMatch(/^my-new-cron-object\s+\* \* \* \* \*\/5\s+1\s+\d+s$/m);
    const everything = await k(['get', 'all']);
    expect(everything.stdout).toContain('crontab.stable.example.com/my-new-cron-object');
  });

  it('refuses an invalid CronTab, naming every bad field', async () => {
    const res = await k(['apply', '-f', file('bad.json', crontab('bad', { cronSpec: 'every minute', replicas: 0 }))]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('The CronTab "bad" is invalid');
    expect(res.stderr).toContain('spec.cronSpec: Invalid value: "every minute": spec.cronSpec in body should match');
    expect(res.stderr).toContain('spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1');
    expect(res.stderr).toContain('spec.image: Required value');
  });

  it('refuses an unknown field by default and prunes it with --validate=false', async () => {
    const path = file('unknown.json', crontab('extra', { cronSpec: '* * * * *', image: 'x', unknownField: 'y' }));
    const strict = await k(['apply', '-f', path]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(/unknown field "spec.unknownField"/);
    const lax = await k(['apply', '--validate=false', '-f', path]);
    expect(lax.stdout, lax.stderr).toContain('crontab.stable.example.com/extra created');
    const got = JSON.parse((await k(['get', 'ct', 'extra', '-o', 'json'])).stdout);
    expect(got.spec).toEqual({ cronSpec: '* * * * *', image: 'x', replicas: 1 });
  });

  it('explains crontab.spec with the schema descriptions', async () => {
    const res = await k(['explain', 'crontab.spec']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('The desired state of the CronTab.');
    expect(res.stdout).toMatch(/cronSpec\s+<string>/);
    expect(res.stdout).toContain('The cron schedule');
  });

  it('scales and patches status through the subresources', async () => {
    const scale = await k(['scale', 'ct', 'my-new-cron-object', '--replicas=3']);
    expect(scale.stdout, scale.stderr).toContain('crontab.stable.example.com/my-new-cron-object scaled');
    const status = await k(['patch', 'ct', 'my-new-cron-object', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3}}']);
    expect(status.stdout, status.stderr).toContain('patched');
    const got = JSON.parse((await k(['get', 'ct', 'my-new-cron-object', '-o', 'json'])).stdout);
    expect(got.spec.replicas).toBe(3);
    expect(got.status).toEqual({ replicas: 3 });
    // Status through the main endpoint is ignored.
    await k(['patch', 'ct', 'my-new-cron-object', '--type=merge', '-p', '{"status":{"replicas":9}}']);
    expect(JSON.parse((await k(['get', 'ct', 'my-new-cron-object', '-o', 'json'])).stdout).status).toEqual({ replicas: 3 });
  });

  it('deleting the CRD removes its objects and its endpoints', async () => {
    const del = await k(['delete', 'crd', 'crontabs.stable.example.com']);
    expect(del.stdout, del.stderr).toContain('deleted');
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      const res = await k(['get', 'crd', 'crontabs.stable.example.com']);
      gone = res.code !== 0;
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    expect(gone).toBe(true);
    // kubectl may still hold the resource in its discovery cache; either way the endpoint is gone.
    const after = await k(['get', 'ct']);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/the server doesn't have a resource type "ct"|Unable to list "stable.example.com\/v1, Resource=crontabs": the server could not find the requested resource/);
    const raw = await fetch(`${cluster.url}/apis/stable.example.com/v1/namespaces/default/crontabs`);
    expect(raw.status).toBe(404);
    const groups = (await (await fetch(`${cluster.url}/apis`)).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).not.toContain('stable.example.com');
    const fresh = await k(['api-resources', '--cached=false']);
    expect(fresh.stdout).not.toContain('crontabs');
    // Its objects went with it: the same CRD created again serves an empty collection.
    await k(['apply', '-f', `${testdata}crontab-crd.yaml`]);
    await k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=10s']);
    const empty = await fetch(`${cluster.url}/apis/stable.example.com/v1/crontabs`);
    expect(((await empty.json()) as { items: unknown[] }).items).toEqual([]);
    await k(['delete', 'crd', 'crontabs.stable.example.com']);
  });

  it('refuses the pre-v1 CRD shape with the real errors and a hint', async () => {
    const res = await k(['apply', '-f', `${testdata}crontab-pre-v1.yaml`]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('unknown field "spec.version"');
    const lax = await k(['apply', '--validate=false', '-f', `${testdata}crontab-pre-v1.yaml`]);
    expect(lax.code).not.toBe(0);
    expect(lax.stderr).toContain('spec.versions');
    expect(lax.stderr).toContain('hint: apiextensions.k8s.io/v1 lists versions under spec.versions');
  });
});
