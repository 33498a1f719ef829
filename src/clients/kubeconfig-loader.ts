// Reading a kubeconfig into what a client needs to connect, the way client-go's clientcmd
// does: the file named, else every file of $KUBECONFIG merged, else ~/.kube/config; the
// current or a named context; its cluster's server and TLS settings, its user's credentials,
// and its namespace. Only static credentials are read (no exec or auth-provider plugins).
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** How to reach and authenticate to one API server (client-go rest.Config, the parts we use). */
export interface RestConfig {
  server: string;
  /** PEM of the certificate authorities to trust. */
  ca?: string;
  /** PEM client certificate and key. */
  cert?: string;
  key?: string;
  token?: string;
  username?: string;
  password?: string;
  insecureSkipTLSVerify?: boolean;
  /** The context's namespace, or `default` (clientcmd's Namespace()). */
  namespace?: string;
}

export interface LoadKubeconfigOptions {
  /** A kubeconfig file; when set, $KUBECONFIG and ~/.kube/config are not read. */
  path?: string;
  /** A kubeconfig's text; relative file references resolve against the working directory. */
  text?: string;
  /** The context to use instead of current-context. */
  context?: string;
  /** For tests: the environment and home directory to read instead of the process's. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

type Entry = Record<string, unknown>;

interface KubeconfigFile {
  dir: string;
  doc: Entry;
}

/** The merged view: per name, the first file to define a cluster, user or context wins. */
interface Merged {
  currentContext?: string;
  clusters: Map<string, { dir: string; value: Entry }>;
  users: Map<string, { dir: string; value: Entry }>;
  contexts: Map<string, { dir: string; value: Entry }>;
}

export async function loadKubeconfig(options: LoadKubeconfigOptions = {}): Promise<RestConfig> {
  const files = await readSources(options);
  const merged = merge(files);
  const contextName = options.context ?? merged.currentContext;
  if (!contextName) throw new Error('kubeconfig has no current-context and no context was named');
  const context = merged.contexts.get(contextName)?.value;
  if (!context) throw new Error(`context "${contextName}" not found in kubeconfig`);
  const clusterName = str(context.cluster);
  const cluster = clusterName ? merged.clusters.get(clusterName) : undefined;
  if (!cluster) throw new Error(`cluster "${clusterName ?? ''}" of context "${contextName}" not found in kubeconfig`);
  const server = str(cluster.value.server);
  if (!server) throw new Error(`cluster "${clusterName}" has no server`);

  const config: RestConfig = { server: server.replace(/\/+$/, ''), namespace: str(context.namespace) || 'default' };
  if (cluster.value['insecure-skip-tls-verify'] === true) config.insecureSkipTLSVerify = true;
  config.ca = await inlineOrFile(cluster.value, 'certificate-authority-data', 'certificate-authority', cluster.dir);

  const userName = str(context.user);
  const user = userName ? merged.users.get(userName) : undefined;
  // A context may name a user that does not exist: clientcmd treats it as anonymous.
  if (user) {
    const u = user.value;
    config.cert = await inlineOrFile(u, 'client-certificate-data', 'client-certificate', user.dir);
    config.key = await inlineOrFile(u, 'client-key-data', 'client-key', user.dir);
    const token = str(u.token);
    const tokenFile = str(u.tokenFile) ?? str(u['token-file']);
    if (token) config.token = token;
    else if (tokenFile) config.token = (await readFile(resolvePath(tokenFile, user.dir), 'utf8')).trim();
    if (str(u.username) !== undefined) config.username = str(u.username);
    if (str(u.password) !== undefined) config.password = str(u.password);
  }
  for (const k of Object.keys(config) as (keyof RestConfig)[]) if (config[k] === undefined) delete config[k];
  return config;
}

/** The kubeconfig files in precedence order (clientcmd ClientConfigLoadingRules.Load). */
async function readSources(options: LoadKubeconfigOptions): Promise<KubeconfigFile[]> {
  if (options.text !== undefined) return [{ dir: process.cwd(), doc: parseDoc(options.text, '<text>') }];
  if (options.path) return [await readDoc(options.path, true)];
  const env = options.env ?? process.env;
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.trim() !== '');
  if (list.length > 0) {
    // Files in $KUBECONFIG that do not exist are skipped, as kubectl does; duplicates read once.
    const files: KubeconfigFile[] = [];
    for (const p of [...new Set(list)]) {
      const f = await readDoc(p, false);
      if (f) files.push(f);
    }
    if (files.length === 0) throw new Error(`none of the files in KUBECONFIG exist: ${list.join(delimiter)}`);
    return files;
  }
  return [await readDoc(join(options.home ?? homedir(), '.kube', 'config'), true)];
}

async function readDoc(path: string, required: true): Promise<KubeconfigFile>;
async function readDoc(path: string, required: false): Promise<KubeconfigFile | undefined>;
async function readDoc(path: string, required: boolean): Promise<KubeconfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read kubeconfig ${path}: ${(e as Error).message}`);
  }
  return { dir: dirname(resolve(path)), doc: parseDoc(text, path) };
}

function parseDoc(text: string, where: string): Entry {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`kubeconfig ${where} is not valid YAML: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`kubeconfig ${where} is not a mapping`);
  return doc as Entry;
}

/**
 * clientcmd's merge: the first file to set current-context wins, and so does the first file
 * to define each named cluster, user and context; later files never override earlier ones.
 */
function merge(files: KubeconfigFile[]): Merged {
  const m: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const f of files) {
    const current = str(f.doc['current-context']);
    if (!m.currentContext && current) m.currentContext = current;
    for (const [list, field, into] of [
      ['clusters', 'cluster', m.clusters],
      ['users', 'user', m.users],
      ['contexts', 'context', m.contexts],
    ] as const) {
      const items = f.doc[list];
      if (!Array.isArray(items)) continue;
      for (const item of items as Entry[]) {
        const name = str(item?.name);
        const value = item?.[field];
        if (!name || into.has(name)) continue;
        into.set(name, { dir: f.dir, value: typeof value === 'object' && value !== null ? (value as Entry) : {} });
      }
    }
  }
  return m;
}

/** `*-data` is base64 PEM inline; the other names a file, relative to the kubeconfig's folder. */
async function inlineOrFile(entry: Entry, dataKey: string, fileKey: string, dir: string): Promise<string | undefined> {
  const data = str(entry[dataKey]);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = str(entry[fileKey]);
  if (file) return readFile(resolvePath(file, dir), 'utf8');
  return undefined;
}

// clientcmd ResolvePaths: relative file references are relative to the file that holds them.
function resolvePath(p: string, dir: string): string {
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : join(dir, p);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
