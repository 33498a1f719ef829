// Kubeconfig files: the one kubesim writes for itself, and merging a kubesim context into a
// user's existing file (the way `kind create cluster` does) without touching other entries.
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';

export interface KubeconfigOptions {
  /** The API server URL, e.g. http://127.0.0.1:6443. */
  server: string;
  /** Name of the cluster, user and context entries. Default `kubesim`. */
  name?: string;
  /** A bearer token for the user entry (authentication on); none means no credentials. */
  token?: string;
  /** The context's default namespace (a student's own). */
  namespace?: string;
  /** PEM of the CA that signed the serving certificate (an https server). */
  certificateAuthority?: string;
}

export const DEFAULT_CONTEXT_NAME = 'kubesim';

interface NamedEntries {
  cluster: Record<string, unknown>;
  user: Record<string, unknown>;
  context: Record<string, unknown>;
}

function entries(options: KubeconfigOptions): NamedEntries & { name: string } {
  const name = options.name ?? DEFAULT_CONTEXT_NAME;
  return {
    name,
    // client-node 1.x refuses a plain-http server unless the cluster says TLS is not verified.
    cluster: options.server.startsWith('http:')
      ? { server: options.server, 'insecure-skip-tls-verify': true }
      : {
          server: options.server,
          ...(options.certificateAuthority ? { 'certificate-authority-data': Buffer.from(options.certificateAuthority).toString('base64') } : {}),
        },
    // With `--auth none` no credentials are needed: the entry exists so the context is complete.
    user: options.token ? { token: options.token } : {},
    context: options.namespace ? { cluster: name, namespace: options.namespace, user: name } : { cluster: name, user: name },
  };
}

/** A complete kubeconfig whose cluster, user and context are all named `name`. */
export function renderKubeconfig(options: KubeconfigOptions): string {
  const e = entries(options);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: e.name, cluster: e.cluster }],
    users: [{ name: e.name, user: e.user }],
    contexts: [{ name: e.name, context: e.context }],
    'current-context': e.name,
  };
  return new Document(config).toString();
}

/** Writes a kubeconfig, creating parent folders; 0600 because kubeconfigs carry secrets. */
export async function writeKubeconfig(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { mode: 0o600 });
  // writeFile's mode only applies when the file is created; tighten an existing one too.
  await chmod(path, 0o600);
}

/**
 * The kubeconfig kubectl would write to: the first file of $KUBECONFIG, else ~/.kube/config
 * (client-go clientcmd: new entries go to the first file of the precedence list).
 */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p.trim() !== '');
  return first ?? join(home, '.kube', 'config');
}

export interface MergeResult {
  path: string;
  /** Whether current-context was set (only when the file had none). */
  currentContextSet: boolean;
}

/**
 * Adds or replaces the cluster, user and context entries named in `text` (a kubeconfig as
 * rendered by renderKubeconfig) in the kubeconfig at `targetPath`, keeping every other entry,
 * comment and the user's current-context. current-context is set only when there is none.
 */
export async function mergeKubeconfigContext(targetPath: string, text: string): Promise<MergeResult> {
  const source = parseDocument(text);
  if (source.errors.length > 0) throw new Error(`invalid kubeconfig to merge: ${source.errors[0]!.message}`);

  let existing = '';
  try {
    existing = await readFile(targetPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const target = existing.trim() === '' ? new Document({ apiVersion: 'v1', kind: 'Config' }) : parseDocument(existing);
  if (target.errors.length > 0) {
    throw new Error(`${targetPath} is not valid YAML (${target.errors[0]!.message}); not modifying it`);
  }
  if (!isMap(target.contents)) throw new Error(`${targetPath} is not a kubeconfig mapping; not modifying it`);

  for (const key of ['clusters', 'users', 'contexts'] as const) {
    const incoming = source.get(key);
    if (!isSeq(incoming)) continue;
    for (const item of incoming.items) {
      if (!isMap(item)) continue;
      upsertNamed(target, key, item);
    }
  }

  let currentContextSet = false;
  const current = target.get('current-context');
  const wanted = source.get('current-context');
  if ((current === undefined || current === null || current === '') && typeof wanted === 'string') {
    target.set('current-context', wanted);
    currentContextSet = true;
  }

  await writeKubeconfig(targetPath, target.toString());
  return { path: targetPath, currentContextSet };
}

/** Replaces the entry with the same name in target[key], or appends it. */
function upsertNamed(target: Document, key: string, item: YAMLMap): void {
  const name = item.get('name');
  let seq = target.get(key);
  if (!isSeq(seq)) {
    // A missing or `null` list (kubectl writes `clusters: null` for an empty config).
    seq = new YAMLSeq();
    target.set(key, seq);
  }
  const list = seq as YAMLSeq;
  const node = target.createNode(item.toJSON());
  const index = list.items.findIndex((existing) => isMap(existing) && existing.get('name') === name);
  if (index >= 0) list.items[index] = node;
  else list.items.push(node);
}
