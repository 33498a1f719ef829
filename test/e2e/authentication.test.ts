// Authentication and TLS end to end: startCluster with `auth: 'token'` and `tls: true`, driven
// by real kubectl (every installed version for `kubectl auth whoami`) and raw HTTPS requests:
// static tokens, `kubectl create token` tokens, bad and expired tokens, client certificates,
// anonymous requests on and off, and `--auth none`.
import { request } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startCluster, type Cluster } from '../../src/cluster.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const binaries = kubectlBinaries();
const skip = requireClient(binaries.length > 0, 'kubectl');
const dir = mkdtempSync(join(tmpdir(), 'kubesim-authn-'));

/** A kubeconfig for the cluster with other credentials (token, client certificate, or none). */
function kubeconfigFor(cluster: Cluster, name: string, user: Record<string, string>): string {
  const cluster_ = { server: cluster.url, ...(cluster.certificateAuthority ? { 'certificate-authority-data': Buffer.from(cluster.certificateAuthority).toString('base64') } : {}) };
  const path = join(dir, `${name}.kubeconfig`);
  writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: cluster_ }], users: [{ name: 'u', user }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' }));
  return path;
}

/** An HTTPS request trusting the cluster's CA; status and parsed body. */
function get(cluster: Cluster, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const method = body === undefined ? 'GET' : 'POST';
    const all = body === undefined ? headers : { ...headers, 'content-type': 'application/json' };
    const req = request(`${cluster.url}${path}`, { ca: cluster.certificateAuthority, headers: all, method }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

describe.skipIf(skip)('authentication with --auth token and --tls', () => {
  let cluster: Cluster;
  const k = (path: string, bin = binaries[0]!) => kubectl(bin, path);
  beforeAll(async () => {
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, 'alice-token,alice,alice-uid,"dev,qa"\nbob-token,bob,bob-uid\n');
    cluster = await startCluster({ auth: 'token', tls: true, tokenAuthFile: tokenFile, clock: 'virtual', controllers: 'none' });
  }, 60_000);
  afterAll(async () => cluster?.stop());

  it('serves https with the CA in the kubeconfig, which is the administrator', async () => {
    expect(cluster.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.kubeconfig).toContain('certificate-authority-data:');
    expect(cluster.kubeconfig).toContain(`token: ${cluster.adminToken}`);
    const out = await k(cluster.kubeconfigPath)(['auth', 'whoami']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/Username\s+kubernetes-admin\n/);
    expect(out.stdout).toMatch(/Groups\s+\[system:masters system:authenticated\]/);
  });

  // Every kubectl installed: 1.27 asks for v1beta1 or v1alpha1 SelfSubjectReview, later ones v1.
  for (const bin of binaries) {
    it(`${bin.name} auth whoami shows a token file user`, async () => {
      const out = await k(kubeconfigFor(cluster, 'alice', { token: 'alice-token' }), bin)(['auth', 'whoami']);
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(/Username\s+alice\n/);
      expect(out.stdout).toMatch(/UID\s+alice-uid\n/);
      expect(out.stdout).toMatch(/Groups\s+\[dev qa system:authenticated\]/);
    });
  }

  it('kubectl create token issues a token that then authenticates as the ServiceAccount', async () => {
    const admin = k(cluster.kubeconfigPath);
    expect((await admin(['create', 'serviceaccount', 'bot'])).code).toBe(0);
    const created = await admin(['create', 'token', 'bot', '--duration', '20m']);
    expect(created.stderr).toBe('');
    const token = created.stdout.trim();
    const as = k(kubeconfigFor(cluster, 'bot', { token }));
    const who = await as(['auth', 'whoami', '-o', 'json']);
    const review = JSON.parse(who.stdout) as { status: { userInfo: Record<string, unknown> } };
    expect(review.status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:bot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    // Authenticated, and then authorized by RBAC like anyone: nothing until a binding grants it.
    expect((await as(['get', 'configmaps'])).stderr).toContain('User "system:serviceaccount:default:bot" cannot list resource "configmaps"');
    expect((await admin(['create', 'rolebinding', 'bot-view', '--clusterrole=view', '--serviceaccount=default:bot'])).code).toBe(0);
    expect((await as(['get', 'configmaps'])).code).toBe(0);

    // Expired on the cluster's clock: 401, as kube answers.
    await cluster.clock.advance('21m');
    const late = await as(['get', 'configmaps']);
    expect(late.code).not.toBe(0);
    expect(late.stderr).toContain('Unauthorized');
    expect(await get(cluster, '/api/v1/namespaces', { authorization: `Bearer ${token}` })).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it('a token for another audience, or of a deleted ServiceAccount, does not authenticate', async () => {
    const admin = k(cluster.kubeconfigPath);
    await admin(['create', 'serviceaccount', 'gone']);
    const other = (await admin(['create', 'token', 'gone', '--audience', 'vault'])).stdout.trim();
    expect((await get(cluster, '/api', { authorization: `Bearer ${other}` })).status).toBe(401);
    const token = (await admin(['create', 'token', 'gone'])).stdout.trim();
    expect((await get(cluster, '/api', { authorization: `Bearer ${token}` })).status).toBe(200);
    await admin(['delete', 'serviceaccount', 'gone']);
    expect((await get(cluster, '/api', { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('TokenRequest validation and errors are kube\'s', async () => {
    const admin = k(cluster.kubeconfigPath);
    const short = await admin(['create', 'token', 'bot', '--duration', '5m']);
    expect(short.stderr).toContain('spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes');
    const missing = await admin(['create', 'token', 'nobody']);
    expect(missing.stderr).toContain('serviceaccounts "nobody" not found');
  });

  it('a bad token is 401 with the Unauthorized Status, even though anonymous requests are allowed', async () => {
    expect(await get(cluster, '/version', { authorization: 'Bearer not-a-token' })).toEqual({ status: 401, body: UNAUTHORIZED });
    const out = await k(kubeconfigFor(cluster, 'bad', { token: 'not-a-token' }))(['get', 'pods']);
    expect(out.code).not.toBe(0);
    // kubectl's words for a 401 (on discovery: "the server has asked for the client to provide credentials").
    expect(out.stderr).toMatch(/error: You must be logged in to the server/);
  });

  it('a client certificate signed by the cluster CA authenticates as CN, groups O', async () => {
    const pair = cluster.issueClientCertificate!('carol', ['ops', 'oncall']);
    const path = kubeconfigFor(cluster, 'carol', { 'client-certificate-data': Buffer.from(pair.cert).toString('base64'), 'client-key-data': Buffer.from(pair.key).toString('base64') });
    const out = await k(path)(['auth', 'whoami']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/Username\s+carol\n/);
    expect(out.stdout).toMatch(/Groups\s+\[ops oncall system:authenticated\]/);
  });

  it('anonymous requests are system:anonymous; /healthz and /version are readable without credentials', async () => {
    expect(await get(cluster, '/healthz')).toEqual({ status: 200, body: 'ok' });
    expect((await get(cluster, '/version')).status).toBe(200);
    // Over raw HTTPS: kubectl with no credentials for an https server prompts for a password.
    // Anyone authenticated may ask who they are (system:basic-user); system:anonymous is not authenticated, so RBAC refuses, naming the user.
    const review = (await get(cluster, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {}, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' })) as { status: number; body: { message: string } };
    expect(review.status).toBe(403);
    expect(review.body.message).toBe('selfsubjectreviews.authentication.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope');
  });

  it('TokenReview says whether a token authenticates, and as whom', async () => {
    const review = (token: string) => get(cluster, '/apis/authentication.k8s.io/v1/tokenreviews', { authorization: `Bearer ${cluster.adminToken}` }, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    const ok = (await review('bob-token')) as { status: number; body: { status: unknown } };
    expect(ok.status).toBe(201);
    expect(ok.body.status).toEqual({ authenticated: true, user: { username: 'bob', uid: 'bob-uid', groups: ['system:authenticated'] } });
    const bad = (await review('nope')) as { body: { status: unknown } };
    expect(bad.body.status).toMatchObject({ user: {}, error: 'invalid bearer token' });
  });
});

describe.skipIf(skip)('--anonymous-auth=false and --auth none', () => {
  it('refuses requests without credentials with 401, /healthz included', async () => {
    const cluster = await startCluster({ auth: 'token', tls: true, anonymousAuth: false, controllers: 'none' });
    try {
      expect(await get(cluster, '/healthz')).toEqual({ status: 401, body: UNAUTHORIZED });
      expect(await get(cluster, '/version')).toEqual({ status: 401, body: UNAUTHORIZED });
      expect((await get(cluster, '/version', { authorization: `Bearer ${cluster.adminToken}` })).status).toBe(200);
      // The in-process client is the administrator whatever the settings.
      expect((await cluster.client.list({ group: '', version: 'v1', resource: 'namespaces', namespaced: false })).items.length).toBeGreaterThan(0);
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it('--auth none (the loopback default): every request is the administrator; a valid token is still honoured', async () => {
    const cluster = await startCluster({ controllers: 'none' });
    try {
      expect(cluster.url).toMatch(/^http:/);
      const admin = kubectl(binaries[0]!, cluster.kubeconfigPath);
      expect((await admin(['auth', 'whoami'])).stdout).toMatch(/Username\s+kubernetes-admin\n/);
      expect((await admin(['auth', 'whoami', '--token', 'garbage'])).stdout).toMatch(/Username\s+kubernetes-admin\n/);
      await admin(['create', 'serviceaccount', 'bot']);
      const token = (await admin(['create', 'token', 'bot'])).stdout.trim();
      // kubectl sends no token to a plain-http server, so ask directly.
      const res = await fetch(`${cluster.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      expect(((await res.json()) as { status: { userInfo: { username: string } } }).status.userInfo.username).toBe('system:serviceaccount:default:bot');
      const garbage = await fetch(`${cluster.url}/version`, { headers: { authorization: 'Bearer garbage' } });
      expect(garbage.status).toBe(200);
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it('refuses --auth none on an address other than loopback', async () => {
    await expect(startCluster({ host: '0.0.0.0', auth: 'none', controllers: 'none' })).rejects.toThrow(/--auth none is only allowed on a loopback address/);
  });
});
