// The cluster clock: on a virtual clock every timestamp the server writes follows it, and
// it moves only when told (through the fixture or the /kubesim/clock endpoint).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from './http-client.js';

let virtual: Cluster;
let real: Cluster;
beforeAll(async () => {
  virtual = await startCluster({ clock: 'virtual', controllers: 'none' });
  real = await startCluster();
});
afterAll(async () => {
  await virtual?.stop();
  await real?.stop();
});

const stamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

it('stamps objects with the virtual time and moves only when advanced', async () => {
  const c = api(virtual.url);
  const t0 = virtual.clock.now();
  await new Promise((r) => setTimeout(r, 1100));
  const a = await c.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' } });
  expect(a.body.metadata.creationTimestamp).toBe(stamp(t0));

  const moved = await c.post('/kubesim/clock/advance?by=90m', undefined);
  expect(moved.status).toBe(200);
  expect(moved.body.virtual).toBe(true);
  expect(Date.parse(moved.body.now) - t0.getTime()).toBe(90 * 60 * 1000);
  const b = await c.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'b' } });
  expect(b.body.metadata.creationTimestamp).toBe(stamp(new Date(t0.getTime() + 90 * 60 * 1000)));

  await virtual.clock.advance('1m');
  expect((await c.get('/kubesim/clock')).body.now).toBe(new Date(t0.getTime() + 91 * 60 * 1000).toISOString());
  // The AGE column follows the clock too.
  const table = await c.get('/api/v1/namespaces/default/configmaps/a', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  expect(table.body.rows[0].cells.at(-1)).toBe('91m');

  const bad = await c.post('/kubesim/clock/advance?by=soon', undefined);
  expect(bad.status).toBe(400);
  expect(bad.body.message).toContain('give a duration such as 90s');
});

it('refuses to advance the real clock, saying how to get a virtual one', async () => {
  const res = await api(real.url).post('/kubesim/clock/advance?by=1m', undefined);
  expect(res.status).toBe(400);
  expect(res.body.message).toContain('--clock virtual');
  expect((await api(real.url).get('/kubesim/clock')).body.virtual).toBe(false);
});

it('an hour advanced at once is lived through: an every-5-minutes CronJob fires twelve times', async () => {
  const cluster = await startCluster({ clock: 'virtual' });
  try {
    const c = api(cluster.url);
    const made = await c.post('/apis/batch/v1/namespaces/default/cronjobs', {
      metadata: { name: 'tick' },
      spec: { schedule: '*/5 * * * *', successfulJobsHistoryLimit: 20, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    });
    expect(made.status).toBe(201);
    await new Promise((r) => setTimeout(r, 200)); // let the controller see it
    expect((await c.post('/kubesim/clock/advance?by=60m', undefined)).status).toBe(200);
    let jobs = 0;
    for (let i = 0; i < 50 && jobs < 12; i++) {
      jobs = (await c.get('/apis/batch/v1/namespaces/default/jobs')).body.items.length;
      if (jobs < 12) await new Promise((r) => setTimeout(r, 20));
    }
    expect(jobs).toBe(12);
  } finally {
    await cluster.stop();
  }
});
