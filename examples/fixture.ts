// kubesim as a test fixture: a fresh API server in-process, its objects applied, waited for
// and looked at through the fixture's helpers. Run it with `npx tsx examples/fixture.ts`.
import { startCluster } from '../src/index.js';

const cluster = await startCluster({ clock: 'virtual' });
try {
  await cluster.apply(new URL('./manifests/', import.meta.url));
  const web = await cluster.waitFor('deployment.apps/shop-web', (d) => (d.status as { availableReplicas?: number } | undefined)?.availableReplicas === 2, { namespace: 'shop' });
  console.log('deployment shop-web available:', (web?.status as { availableReplicas?: number }).availableReplicas);
  const events = await cluster.events('deploy/shop-web', { namespace: 'shop' });
  console.log('its events:', events.map((e) => `${e.reason}: ${e.message}`));
  console.log(`kubectl works too: KUBECONFIG=${cluster.kubeconfigPath} kubectl get all -n shop`);
} finally {
  await cluster.stop();
}
