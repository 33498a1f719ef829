// One kubeconfig per student, `<name>.kubeconfig` in the students folder: the server, the
// student's token, and their namespace as the context's default, so `kubectl get pods` shows
// their own pods with no -n.
import { join } from 'node:path';
import { renderKubeconfig, writeKubeconfig, type KubeconfigOptions } from '../clients/kubeconfig.js';
import type { StudentAccount } from './accounts.js';

/** Where a student's kubeconfig goes. */
export function studentKubeconfigPath(dir: string, name: string): string {
  return join(dir, `${name}.kubeconfig`);
}

/**
 * Writes every student's kubeconfig; `cluster` is what the teacher's kubeconfig says of the
 * server (its URL and, with TLS, the CA). Returns the paths written.
 */
export async function writeStudentKubeconfigs(dir: string, accounts: StudentAccount[], cluster: Omit<KubeconfigOptions, 'token' | 'namespace' | 'name'>): Promise<string[]> {
  const paths: string[] = [];
  for (const a of accounts) {
    const path = studentKubeconfigPath(dir, a.name);
    await writeKubeconfig(path, renderKubeconfig({ ...cluster, name: `kubesim-${a.name}`, token: a.token, namespace: a.namespace }));
    paths.push(path);
  }
  return paths;
}
