import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  defaultKubeconfigPath,
  mergeKubeconfigContext,
  renderKubeconfig,
  writeKubeconfig,
} from '../../../src/clients/kubeconfig.js';

interface Kubeconfig {
  'current-context'?: string;
  clusters: { name: string; cluster: { server: string; 'insecure-skip-tls-verify'?: boolean } }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-kubeconfig-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderKubeconfig', () => {
  it('names cluster, user and context kubesim and selects that context', () => {
    const config = parse(renderKubeconfig({ server: 'http://127.0.0.1:6443' })) as Kubeconfig;
    expect(config).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': 'kubesim' });
    expect(config.clusters).toEqual([{ name: 'kubesim', cluster: { server: 'http://127.0.0.1:6443', 'insecure-skip-tls-verify': true } }]);
    expect(config.users).toEqual([{ name: 'kubesim', user: {} }]);
    expect(config.contexts).toEqual([{ name: 'kubesim', context: { cluster: 'kubesim', user: 'kubesim' } }]);
  });

  it('uses a custom name for every entry', () => {
    const config = parse(renderKubeconfig({ server: 'http://h:1', name: 'class' })) as Kubeconfig;
    expect(config['current-context']).toBe('class');
    expect(config.contexts[0]).toEqual({ name: 'class', context: { cluster: 'class', user: 'class' } });
  });
});

describe('writeKubeconfig', () => {
  it('creates parent folders and writes with mode 0600', async () => {
    const path = join(dir, 'a', 'b', 'config');
    await writeKubeconfig(path, 'x: 1\n');
    expect(await readFile(path, 'utf8')).toBe('x: 1\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('tightens the mode of an existing file', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeKubeconfig(path, 'new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('defaultKubeconfigPath', () => {
  it('uses the first file of $KUBECONFIG', () => {
    expect(defaultKubeconfigPath({ KUBECONFIG: '/a/config:/b/config' }, '/home/u')).toBe('/a/config');
    expect(defaultKubeconfigPath({ KUBECONFIG: ':/b/config' }, '/home/u')).toBe('/b/config');
  });

  it('falls back to ~/.kube/config', () => {
    expect(defaultKubeconfigPath({}, '/home/u')).toBe(join('/home/u', '.kube', 'config'));
    expect(defaultKubeconfigPath({ KUBECONFIG: '' }, '/home/u')).toBe(join('/home/u', '.kube', 'config'));
  });
});

describe('mergeKubeconfigContext', () => {
  const existing = `# my clusters
apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster:
      server: https://prod.example:6443
      certificate-authority-data: Zm9v
  - name: kubesim
    cluster:
      server: http://127.0.0.1:1111
users:
  - name: admin
    user:
      token: secret
contexts:
  - name: prod
    context:
      cluster: prod
      user: admin
      namespace: payments
current-context: prod
`;

  it('creates the file when it does not exist', async () => {
    const path = join(dir, '.kube', 'config');
    const result = await mergeKubeconfigContext(path, renderKubeconfig({ server: 'http://127.0.0.1:6443' }));
    expect(result.currentContextSet).toBe(true);
    const config = parse(await readFile(path, 'utf8')) as Kubeconfig;
    expect(config['current-context']).toBe('kubesim');
    expect(config.clusters).toEqual([{ name: 'kubesim', cluster: { server: 'http://127.0.0.1:6443', 'insecure-skip-tls-verify': true } }]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('replaces the kubesim entries and keeps everything else', async () => {
    const path = join(dir, 'config');
    await writeFile(path, existing);
    const result = await mergeKubeconfigContext(path, renderKubeconfig({ server: 'http://127.0.0.1:6443' }));
    expect(result.currentContextSet).toBe(false);
    const text = await readFile(path, 'utf8');
    expect(text).toContain('# my clusters');
    const config = parse(text) as Kubeconfig;
    expect(config['current-context']).toBe('prod');
    expect(config.clusters).toEqual([
      { name: 'prod', cluster: { server: 'https://prod.example:6443', 'certificate-authority-data': 'Zm9v' } },
      { name: 'kubesim', cluster: { server: 'http://127.0.0.1:6443', 'insecure-skip-tls-verify': true } },
    ]);
    expect(config.users).toEqual([
      { name: 'admin', user: { token: 'secret' } },
      { name: 'kubesim', user: {} },
    ]);
    expect(config.contexts.map((c) => c.name)).toEqual(['prod', 'kubesim']);
    expect(config.contexts[0]!.context.namespace).toBe('payments');
  });

  it('is idempotent', async () => {
    const path = join(dir, 'config');
    await writeFile(path, existing);
    const kubeconfig = renderKubeconfig({ server: 'http://127.0.0.1:6443' });
    await mergeKubeconfigContext(path, kubeconfig);
    const once = await readFile(path, 'utf8');
    await mergeKubeconfigContext(path, kubeconfig);
    expect(await readFile(path, 'utf8')).toBe(once);
  });

  it('fills lists that kubectl wrote as null', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'apiVersion: v1\nkind: Config\nclusters: null\nusers: null\ncontexts: null\ncurrent-context: ""\n');
    await mergeKubeconfigContext(path, renderKubeconfig({ server: 'http://127.0.0.1:6443' }));
    const config = parse(await readFile(path, 'utf8')) as Kubeconfig;
    expect(config.clusters.map((c) => c.name)).toEqual(['kubesim']);
    expect(config['current-context']).toBe('kubesim');
  });

  it('refuses to rewrite a file that is not valid YAML', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'clusters: [unclosed\n');
    await expect(mergeKubeconfigContext(path, renderKubeconfig({ server: 'http://x' }))).rejects.toThrow(/not valid YAML/);
    expect(await readFile(path, 'utf8')).toBe('clusters: [unclosed\n');
  });
});
