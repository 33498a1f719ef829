// `kubesim serve --students 2` / `--roster FILE` as a teacher runs it, then real kubectl with
// each student's kubeconfig: a student works in their own namespace (admin there), cannot
// read, change or watch another student's objects, is held to a quota, and the teacher's
// kubeconfig sees everything. A restart with the same folder keeps each student's token.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitWithin, kubesimSandbox, started } from './cli-process.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const binaries = kubectlBinaries();
const skip = requireClient(binaries.length > 0, 'kubectl');
const sandbox = kubesimSandbox('kubesim-class-');
const kubesim = sandbox.kubesim;

describe.skipIf(skip)('kubesim serve --students', () => {
  it('gives each student their namespace and nothing of anyone else\'s', async () => {
    const run = kubesim(['--port', '0', '--students', '2', '--student-quota', 'configmaps=3', '--controllers', 'none', '--kubeconfig', join(sandbox.dir(), 'teacher.kubeconfig')]);
    await started(run);
    const studentsDir = join(sandbox.dir(), '.kubesim', 'students');
    expect(run.stdout()).toContain(`each student's kubeconfig is <name>.kubeconfig in ${studentsDir}`);
    expect((await readdir(studentsDir)).sort()).toEqual(['student-1.kubeconfig', 'student-2.kubeconfig', 'tokens.csv']);

    const bin = binaries[0]!;
    const one = kubectl(bin, join(studentsDir, 'student-1.kubeconfig'));
    const teacher = kubectl(bin, join(sandbox.dir(), 'teacher.kubeconfig'));
    expect((await one(['auth', 'whoami'])).stdout).toMatch(/Username\s+student-1\n/);

    // Their own namespace is the kubeconfig's default, and they are admin there.
    expect((await one(['create', 'configmap', 'mine', '--from-literal=a=1'])).code).toBe(0);
    expect((await one(['get', 'configmap', 'mine', '-o', 'jsonpath={.metadata.namespace}'])).stdout).toBe('student-1');
    expect((await one(['create', 'rolebinding', 'friend', '--clusterrole=view', '--user=someone'])).code).toBe(0);

    // Another student's namespace: no reading, no writing, no watching.
    await kubectl(bin, join(studentsDir, 'student-2.kubeconfig'))(['create', 'configmap', 'theirs', '--from-literal=b=2']);
    const read = await one(['get', 'configmap', 'theirs', '-n', 'student-2']);
    expect(read.stderr).toContain('configmaps "theirs" is forbidden: User "student-1" cannot get resource "configmaps" in API group "" in the namespace "student-2"');
    const write = await one(['delete', 'configmap', 'theirs', '-n', 'student-2']);
    expect(write.stderr).toContain('cannot delete resource "configmaps" in API group "" in the namespace "student-2"');
    const watch = await one(['get', '--raw', '/api/v1/namespaces/student-2/configmaps?watch=true&timeoutSeconds=5']);
    expect(watch.stderr).toContain('cannot watch resource "configmaps" in API group "" in the namespace "student-2"');
    expect((await one(['get', 'configmaps', '-A'])).stderr).toContain('cannot list resource "configmaps" in API group "" at the cluster scope');
    expect((await one(['get', 'namespaces'])).stderr).toContain('cannot list resource "namespaces"');
    // Nor may they lift their own quota.
    expect((await one(['delete', 'resourcequota', 'student-quota'])).stderr).toContain('cannot delete resource "resourcequotas"');

    // The quota: configmaps=3 (kube-root-ca.crt is not made here, so 2 more fit).
    await one(['create', 'configmap', 'two', '--from-literal=a=1']);
    await one(['create', 'configmap', 'three', '--from-literal=a=1']);
    const over = await one(['create', 'configmap', 'four', '--from-literal=a=1']);
    expect(over.stderr).toContain('exceeded quota: student-quota, requested: configmaps=1, used: configmaps=3, limited: configmaps=3');

    // The teacher sees everyone's.
    expect((await teacher(['get', 'configmaps', '-A', '-o', 'name'])).stdout.split('\n').filter((l) => ['configmap/mine', 'configmap/theirs'].includes(l))).toHaveLength(2);
    run.child.kill('SIGTERM');
    expect((await exitWithin(run, 10_000)).code).toBe(0);
  }, 120_000);

  it('names the class from a roster and keeps their tokens across a restart', async () => {
    await writeFile(join(sandbox.dir(), 'roster.txt'), '# 3b\nada\ngrace\n');
    const args = ['--port', '0', '--roster', 'roster.txt', '--students-dir', 'class', '--controllers', 'none'];
    let run = kubesim(args);
    await started(run);
    const kubeconfig = await readFile(join(sandbox.dir(), 'class', 'ada.kubeconfig'), 'utf8');
    expect(kubeconfig).toContain('namespace: ada');
    run.child.kill('SIGTERM');
    expect((await exitWithin(run, 10_000)).code).toBe(0);

    run = kubesim(args);
    await started(run);
    expect(await readFile(join(sandbox.dir(), 'class', 'ada.kubeconfig'), 'utf8')).toContain(/token: (\S+)/.exec(kubeconfig)![1]);
    // The kubeconfig handed out before the restart still works (the server URL aside: a new port).
    const ada = kubectl(binaries[0]!, join(sandbox.dir(), 'class', 'ada.kubeconfig'));
    expect((await ada(['auth', 'whoami'])).stdout).toMatch(/Username\s+ada\n/);
    run.child.kill('SIGTERM');
    expect((await exitWithin(run, 10_000)).code).toBe(0);
  }, 120_000);

  it('refuses --students with --auth none, and a bad roster line by line', async () => {
    const none = kubesim(['--port', '0', '--students', '2', '--auth', 'none']);
    expect((await exitWithin(none, 15_000)).code).not.toBe(0);
    expect(none.stderr()).toContain('--students needs --auth token');
    await writeFile(join(sandbox.dir(), 'roster.txt'), 'Ada\nkube-system\n');
    const bad = kubesim(['--port', '0', '--roster', 'roster.txt', '--controllers', 'none']);
    expect((await exitWithin(bad, 15_000)).code).toBe(1);
    expect(bad.stderr()).toContain('roster.txt:1: "Ada" is not a valid name');
    expect(bad.stderr()).toContain('roster.txt:2: "kube-system" is a namespace the cluster keeps for itself');
  }, 60_000);
});
