// `kubesim serve --students N` / `--roster FILE`: the class, set up around a running cluster.
// Before the cluster starts, the accounts (their tokens join the static tokens the server
// accepts); once it serves, each student's namespace, admin RoleBinding and quota, created as
// the administrator, and a kubeconfig per student in the students folder.
import { readFile } from 'node:fs/promises';
import type { StaticToken } from '../apiserver/auth/token-file.js';
import { applyManifests } from '../manifests/index.js';
import { loadOrCreateAccounts, type StudentAccount } from './accounts.js';
import { writeStudentKubeconfigs } from './kubeconfigs.js';
import { classroomObjects, type ClassroomOptions } from './objects.js';
import { numberedStudents, parseRoster } from './roster.js';

export interface ClassroomFlags {
  students?: number;
  /** A roster file (absolute, or relative to the working directory already resolved). */
  roster?: string;
  /** Where tokens.csv and the kubeconfigs go. */
  dir: string;
  viewCluster?: boolean;
  quota?: Record<string, string>;
}

/** The class's accounts, tokens reused from the folder when a student already had one. */
export async function classroomAccounts(flags: ClassroomFlags): Promise<StudentAccount[]> {
  const names = flags.roster !== undefined ? parseRoster(await readFile(flags.roster, 'utf8'), flags.roster) : numberedStudents(flags.students ?? 0);
  return loadOrCreateAccounts(flags.dir, names);
}

/** The accounts as the static tokens the authenticator accepts. */
export function classroomTokens(accounts: StudentAccount[]): StaticToken[] {
  return accounts.map((a) => ({ token: a.token, user: a.name, uid: a.uid, groups: a.groups }));
}

/**
 * Creates what the class needs, as `--load` does (an object already there, after a restart
 * with --data-dir, is replaced, so a changed --student-quota takes effect), and writes every
 * student's kubeconfig; returns the kubeconfig paths.
 */
export async function openClassroom(
  cluster: { url: string; certificateAuthority?: string; adminFetch: typeof fetch },
  accounts: StudentAccount[],
  flags: ClassroomFlags,
): Promise<string[]> {
  const opts: ClassroomOptions = { viewCluster: flags.viewCluster ?? false, ...(flags.quota ? { quota: flags.quota } : {}) };
  const manifests = classroomObjects(accounts, opts).map((object) => ({ source: 'the class', object }));
  const failed = (await applyManifests(cluster.url, manifests, { fetch: cluster.adminFetch })).find((r) => r.action === 'error');
  if (failed) throw new Error(`could not set up ${failed.ref}: ${failed.message}`);
  return writeStudentKubeconfigs(flags.dir, accounts, { server: cluster.url, ...(cluster.certificateAuthority ? { certificateAuthority: cluster.certificateAuthority } : {}) });
}
