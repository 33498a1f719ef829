// kubesim as a test fixture: a fresh API server in-process, talked to over HTTP.
// Run it with `npx tsx examples/fixture.ts`.
import { startCluster } from '../src/index.js';

const cluster = await startCluster();
try {
  const create = await fetch(`${cluster.url}/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metadata: { name: 'hello', labels: { demo: 'yes' } }, data: { greeting: 'hi' } }),
  });
  console.log('create:', create.status);
  const list = await fetch(`${cluster.url}/api/v1/namespaces/default/configmaps?labelSelector=demo%3Dyes`);
  const body = (await list.json()) as { items: { metadata: { name: string } }[] };
  console.log('selected:', body.items.map((i) => i.metadata.name));
  console.log(`kubectl works too: KUBECONFIG=${cluster.kubeconfigPath} kubectl get cm`);
} finally {
  await cluster.stop();
}
