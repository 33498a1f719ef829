// The HTTP transport against a throwaway node:http(s) server: credentials on every request, a
// path prefix kept, a watch cut off mid-stream rejecting `done`, and TLS verified against the
// kubeconfig's CA (or skipped when it says insecure-skip-tls-verify).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/clients/http.js';
import type { ResourceRef } from '../../../src/clients/interfaces.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function serve(handler: http.RequestListener, tls?: { key: string; cert: string }): Promise<string> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(...args: ConstructorParameters<typeof HttpClient>): HttpClient {
  const c = new HttpClient(...args);
  cleanups.push(() => c.close());
  return c;
}

const ok = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"metadata":{"name":"a"}}');

describe('httpTransport', () => {
  it('sends a bearer token, or basic auth, and keeps the server URL path prefix', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const urls: string[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers);
      urls.push(req.url!);
      ok(res);
    });
    await client({ server: `${url}/prefix/`, token: 't0k' }).get(CM, 'a', 'ns');
    await client({ server: url, username: 'u', password: 'p' }, { userAgent: 'ua-test' }).get(CM, 'a', 'ns');
    expect(urls).toEqual(['/prefix/api/v1/namespaces/ns/configmaps/a', '/api/v1/namespaces/ns/configmaps/a']);
    expect(seen[0]).toMatchObject({ authorization: 'Bearer t0k', 'user-agent': 'kubesim-controller' });
    expect(seen[1]).toMatchObject({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, 'user-agent': 'ua-test' });
  });

  it('rejects done when the connection drops mid-watch, after delivering what arrived', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const names: string[] = [];
    const w = await client({ server: url }).watch(CM, {}, (ev) => names.push(`${ev.type} ${ev.object.metadata.name}`));
    await expect(w.done).rejects.toThrow();
    expect(names).toEqual(['ADDED a']);
  });

  it('fails a request whose connection is refused', async () => {
    const url = await serve((_req, res) => ok(res));
    cleanups.pop()!(); // close the server again: its port now refuses connections
    await expect(client({ server: url }).get(CM, 'a', 'ns')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('verifies TLS against the configured CA, or skips verification when told to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      console.warn('skipping TLS test: openssl could not make a certificate');
      return;
    }
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const url = await serve((_req, res) => ok(res), { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert });
    expect((await client({ server: url, ca: cert }).get(CM, 'a', 'ns')).metadata.name).toBe('a');
    expect((await client({ server: url, insecureSkipTLSVerify: true }).get(CM, 'a', 'ns')).metadata.name).toBe('a');
    await expect(client({ server: url }).get(CM, 'a', 'ns')).rejects.toThrow(/self[- ]signed/);
  });
});
