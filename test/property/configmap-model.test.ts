// Model-based property: random sequences of ConfigMap writes (create, update, every patch
// type, server-side apply, deletes with preconditions and finalizers) and selector lists, each
// checked against a plain Map of expected objects after every command. Invariants: answers
// are the ones kube gives (no 5xx), every acknowledged write is visible with its fields and
// field owners, resourceVersions strictly increase, and a rejected request changes nothing.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from '../e2e/http-client.js';
import { configMapCommands } from './configmap-commands.js';
import type { Model, Real } from './configmap-model.js';
import { fcParams, propertyTimeout } from './support.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

let runs = 0;
it('ConfigMap writes, patches, applies, deletes and lists agree with the model', async () => {
  await fc.assert(
    fc.asyncProperty(fc.commands(configMapCommands, { maxCommands: 40 }), async (cmds) => {
      const ns = `model-${runs++}`;
      expect((await c.post('/api/v1/namespaces', { metadata: { name: ns } })).status).toBe(201);
      const setup = async () => {
        const list = await c.get(`/api/v1/namespaces/${ns}/configmaps`);
        const rv = BigInt(list.body.metadata.resourceVersion);
        const model: Model = { objs: new Map(), listRV: rv, lastRV: rv };
        const real: Real = { c, path: `/api/v1/namespaces/${ns}/configmaps` };
        return { model, real };
      };
      await fc.asyncModelRun(setup, cmds);
    }),
    fcParams(30),
  );
}, propertyTimeout(120_000));
