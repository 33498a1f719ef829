// What the HTTP and in-process scenarios send: ~1 KB ConfigMaps, and the namespaces both
// servers are seeded with (a store of `seed` ConfigMaps to list, a namespace to create in).

export const LIST_NAMESPACE = 'bench-list';
export const WRITE_NAMESPACE = 'bench-write';

const PAYLOAD = 'x'.repeat(900);

export function configMap(options: { name: string; revision?: number }) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: options.name, labels: { app: 'bench' } },
    data: { revision: String(options.revision ?? 0), payload: PAYLOAD },
  };
}

export const seedName = (i: number) => `seed-${String(i).padStart(6, '0')}`;
