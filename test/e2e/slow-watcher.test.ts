// A watcher that stops reading is cut off instead of holding the server's memory or
// delaying everyone else (the cacher's blocked-watcher termination).
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api, openWatch } from './http-client.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ watchMaxPendingBytes: 256 * 1024, controllers: 'none' });
});
afterAll(async () => cluster?.stop());

it('drops a watcher that does not read while a reading watcher gets every event', async () => {
  const c = api(cluster.url);
  const path = '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=' + (await c.get('/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion;
  const good = openWatch(cluster.url, path);

  // The slow watcher: a raw socket that sends the request and never reads the response.
  const slow = net.connect(cluster.port, '127.0.0.1');
  await new Promise((r) => slow.once('connect', r));
  slow.pause();
  let slowClosed = false;
  slow.on('close', () => (slowClosed = true));
  slow.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await new Promise((r) => setTimeout(r, 50));

  const payload = 'x'.repeat(100 * 1024);
  const total = 200;
  for (let i = 0; i < total; i++) {
    const res = await c.post('/api/v1/namespaces/default/configmaps', { metadata: { name: `big-${i}` }, data: { payload } });
    expect(res.status).toBe(201);
  }
  const events = await good.next(total, 20_000);
  expect(events).toHaveLength(total);
  expect(events.every((e) => e.type === 'ADDED')).toBe(true);
  good.close();

  // Once it drains what the kernel buffered, the slow socket finds the server closed it.
  slow.resume();
  slow.on('data', () => {});
  for (let i = 0; i < 200 && !slowClosed; i++) await new Promise((r) => setTimeout(r, 25));
  expect(slowClosed).toBe(true);
});
