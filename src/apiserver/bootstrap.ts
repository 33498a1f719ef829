// Objects every cluster starts with, created through the API like any other write so they
// carry uids, timestamps and managedFields: the four system namespaces and the
// `kubernetes` Service in default, as a fresh kube-apiserver has them.
import type { FastifyInstance } from 'fastify';

const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrapObjects(server: FastifyInstance): Promise<void> {
  const post = async (url: string, body: unknown) => {
    const res = await server.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'user-agent': 'kube-apiserver/v1.33.0' },
      payload: JSON.stringify(body),
    });
    if (res.statusCode !== 201) throw new Error(`bootstrap ${url}: ${res.statusCode} ${res.body}`);
  };
  for (const name of NAMESPACES) await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await post('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
  });
}
