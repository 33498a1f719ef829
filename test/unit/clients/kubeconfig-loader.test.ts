// loadKubeconfig against temporary files: precedence, clientcmd's first-wins merge, contexts,
// inline and file credentials with paths relative to their kubeconfig.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadKubeconfig } from '../../../src/clients/kubeconfig-loader.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function config(opts: { current?: string; clusters?: [string, object][]; users?: [string, object][]; contexts?: [string, object][] }) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    ...(opts.current ? { 'current-context': opts.current } : {}),
    clusters: (opts.clusters ?? []).map(([name, cluster]) => ({ name, cluster })),
    users: (opts.users ?? []).map(([name, user]) => ({ name, user })),
    contexts: (opts.contexts ?? []).map(([name, context]) => ({ name, context })),
  };
}

describe('loadKubeconfig', () => {
  it('reads the current context: server, inline CA and client cert, token, namespace', async () => {
    const path = write(
      'config',
      config({
        current: 'dev',
        clusters: [['c', { server: 'https://example.test:6443/', 'certificate-authority-data': b64('CA PEM') }]],
        users: [['u', { 'client-certificate-data': b64('CERT PEM'), 'client-key-data': b64('KEY PEM'), token: 'tok' }]],
        contexts: [['dev', { cluster: 'c', user: 'u', namespace: 'team' }]],
      }),
    );
    expect(await loadKubeconfig({ path })).toEqual({
      server: 'https://example.test:6443',
      ca: 'CA PEM',
      cert: 'CERT PEM',
      key: 'KEY PEM',
      token: 'tok',
      namespace: 'team',
    });
  });

  it('resolves certificate and token files relative to the kubeconfig that names them', async () => {
    write('sub/ca.crt', 'FILE CA');
    write('sub/client.crt', 'FILE CERT');
    write('sub/client.key', 'FILE KEY');
    write('sub/token', 'file-token\n');
    const path = write(
      'sub/config',
      config({
        current: 'x',
        clusters: [['c', { server: 'https://h', 'certificate-authority': 'ca.crt' }]],
        users: [['u', { 'client-certificate': 'client.crt', 'client-key': join(dir, 'sub', 'client.key'), tokenFile: 'token' }]],
        contexts: [['x', { cluster: 'c', user: 'u' }]],
      }),
    );
    expect(await loadKubeconfig({ path })).toMatchObject({ ca: 'FILE CA', cert: 'FILE CERT', key: 'FILE KEY', token: 'file-token', namespace: 'default' });
  });

  it('uses a named context, insecure-skip-tls-verify and basic auth', async () => {
    const path = write(
      'config',
      config({
        current: 'a',
        clusters: [
          ['ca', { server: 'http://a' }],
          ['cb', { server: 'https://b', 'insecure-skip-tls-verify': true }],
        ],
        users: [['basic', { username: 'admin', password: 'secret' }]],
        contexts: [
          ['a', { cluster: 'ca' }],
          ['b', { cluster: 'cb', user: 'basic' }],
        ],
      }),
    );
    expect(await loadKubeconfig({ path })).toEqual({ server: 'http://a', namespace: 'default' });
    expect(await loadKubeconfig({ path, context: 'b' })).toEqual({
      server: 'https://b',
      insecureSkipTLSVerify: true,
      username: 'admin',
      password: 'secret',
      namespace: 'default',
    });
  });

  it('merges $KUBECONFIG files: first current-context and first definition of each name win', async () => {
    const first = write(
      'one',
      config({ clusters: [['shared', { server: 'https://first' }]], contexts: [['ctx', { cluster: 'shared', namespace: 'from-first' }]] }),
    );
    const second = write(
      'two',
      config({
        current: 'ctx',
        clusters: [
          ['shared', { server: 'https://second' }],
          ['only2', { server: 'https://only2' }],
        ],
        contexts: [
          ['ctx', { cluster: 'only2' }],
          ['other', { cluster: 'only2' }],
        ],
      }),
    );
    const missing = join(dir, 'does-not-exist');
    const env = { KUBECONFIG: [missing, first, second].join(delimiter) };
    expect(await loadKubeconfig({ env })).toEqual({ server: 'https://first', namespace: 'from-first' });
    expect(await loadKubeconfig({ env, context: 'other' })).toEqual({ server: 'https://only2', namespace: 'default' });
  });

  it('falls back to ~/.kube/config, and parses text', async () => {
    write('home/.kube/config', config({ current: 'h', clusters: [['c', { server: 'http://home' }]], contexts: [['h', { cluster: 'c' }]] }));
    expect(await loadKubeconfig({ env: {}, home: join(dir, 'home') })).toMatchObject({ server: 'http://home' });
    const text = stringify(config({ current: 't', clusters: [['c', { server: 'http://text' }]], contexts: [['t', { cluster: 'c' }]] }));
    expect(await loadKubeconfig({ text })).toMatchObject({ server: 'http://text' });
  });

  it('explains what is missing', async () => {
    const path = write('config', config({ current: 'nope', clusters: [['c', { server: 'http://x' }]], contexts: [['x', { cluster: 'gone' }]] }));
    await expect(loadKubeconfig({ path })).rejects.toThrow(/context "nope" not found/);
    await expect(loadKubeconfig({ path, context: 'x' })).rejects.toThrow(/cluster "gone" of context "x" not found/);
    await expect(loadKubeconfig({ path: join(dir, 'absent') })).rejects.toThrow(/cannot read kubeconfig/);
    await expect(loadKubeconfig({ env: { KUBECONFIG: join(dir, 'absent') } })).rejects.toThrow(/none of the files in KUBECONFIG exist/);
    await expect(loadKubeconfig({ text: 'a: [' })).rejects.toThrow(/not valid YAML/);
    await expect(loadKubeconfig({ text: stringify(config({})) })).rejects.toThrow(/no current-context/);
  });
});
