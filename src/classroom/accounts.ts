// Each student's identity: a user name (their roster name), a uid, the group every student
// shares, and a bearer token. The tokens are kept in the students folder in kube-apiserver's
// token file format (token,user,uid,"group1,group2"), so a restarted server gives each
// student the same token and the kubeconfigs handed out keep working.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';

/** The group every student's identity is in (bindings for the whole class name it). */
export const STUDENTS_GROUP = 'kubesim:students';
export const TOKENS_FILE = 'tokens.csv';

export interface StudentAccount {
  /** The roster name: also the user name and the namespace. */
  name: string;
  namespace: string;
  uid: string;
  groups: string[];
  token: string;
}

/** One line of a kube-apiserver token file: token,user,uid,"group1,group2". */
export function tokenFileLine(a: Pick<StudentAccount, 'token' | 'name' | 'uid' | 'groups'>): string {
  return `${a.token},${a.name},${a.uid},"${a.groups.join(',')}"`;
}

/** token and uid by user name, from a token file this module wrote (other lines are ignored). */
export function readTokenFile(text: string): Map<string, { token: string; uid: string }> {
  const out = new Map<string, { token: string; uid: string }>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([^,"\s]+),([^,"]+),([^,"]*)(,.*)?$/.exec(line.trim());
    if (m) out.set(m[2]!, { token: m[1]!, uid: m[3]! });
  }
  return out;
}

/** 32 random bytes, URL-safe: what a bearer token in a kubeconfig can carry unquoted. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The accounts for these names, reusing the token and uid of any name already in
 * DIR/tokens.csv, and writing the file back (mode 0600: it holds every student's secret).
 */
export async function loadOrCreateAccounts(dir: string, names: string[]): Promise<StudentAccount[]> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, TOKENS_FILE);
  let known = new Map<string, { token: string; uid: string }>();
  try {
    known = readTokenFile(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const accounts = names.map((name) => {
    const had = known.get(name);
    return { name, namespace: name, uid: had?.uid || randomUUID(), groups: [STUDENTS_GROUP], token: had?.token ?? newToken() };
  });
  await writeFile(path, accounts.map(tokenFileLine).join('\n') + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
  return accounts;
}
