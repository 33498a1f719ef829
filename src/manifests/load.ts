// Reading manifests the way `kubectl apply -f` does: files and folders (recursively, in
// lexical order like filepath.Walk), multi-document YAML, JSON, and `kind: List` expanded.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface LoadedManifest {
  /** Where the object came from: the file, plus `#n` when the file holds several objects. */
  source: string;
  object: object;
}

/** Extensions picked up inside folders; a file named explicitly is read whatever its name. */
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export class ManifestLoadError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'ManifestLoadError';
  }
}

/**
 * Loads every object from the given files and folders, in order. Throws ManifestLoadError for
 * a missing path, unreadable file or YAML syntax error: like kubectl, nothing is applied from
 * input that cannot be read. Objects that parse but are not valid Kubernetes objects are
 * returned as they are, for the server to reject one by one.
 */
export async function loadManifestPaths(paths: string[], options: LoadOptions = {}): Promise<LoadedManifest[]> {
  const cwd = options.cwd ?? process.cwd();
  const out: LoadedManifest[] = [];
  for (const path of paths) {
    for (const file of await manifestFiles(path, cwd)) out.push(...(await loadManifestFile(file, cwd)));
  }
  return out;
}

export interface LoadOptions {
  /** Folder that relative paths are read from; sources keep the paths as given. */
  cwd?: string;
}

async function manifestFiles(path: string, cwd: string): Promise<string[]> {
  let info;
  try {
    info = await stat(resolve(cwd, path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ManifestLoadError(path, code === 'ENOENT' ? 'no such file or directory' : String(err));
  }
  if (!info.isDirectory()) return [path];
  const files: string[] = [];
  const entries = await readdir(resolve(cwd, path), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await manifestFiles(child, cwd)));
    else if (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(child);
  }
  return files;
}

/** Parses one file's text; exported for tests and for manifests that do not live on disk. */
export function parseManifests(text: string, source: string): LoadedManifest[] {
  const objects: object[] = [];
  const docs = parseAllDocuments(text);
  // parseAllDocuments returns an EmptyStream (not an array) for a file with no documents.
  if (!Array.isArray(docs)) return [];
  docs.forEach((doc, index) => {
    const where = docs.length > 1 ? `document ${index + 1}: ` : '';
    const error = doc.errors[0];
    if (error) throw new ManifestLoadError(source, `${where}${error.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ManifestLoadError(source, `${where}expected a Kubernetes object (a mapping), got ${describe(value)}`);
    }
    objects.push(...expandLists(value, source, where));
  });
  return objects.map((object, i) => ({ source: objects.length > 1 ? `${source}#${i + 1}` : source, object }));
}

async function loadManifestFile(file: string, cwd: string): Promise<LoadedManifest[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new ManifestLoadError(file, (err as Error).message);
  }
  return parseManifests(text, file);
}

/**
 * `kind: List` and typed lists (`ConfigMapList`, as `kubectl get -o yaml` prints) become their
 * items, as kubectl's resource builder does (meta.IsListType); nested lists are flattened.
 */
export function expandLists(value: object, source: string, where = ''): object[] {
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(record.items)) {
    return record.items.flatMap((item: unknown, i: number) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) return expandLists(item, source, where);
      throw new ManifestLoadError(source, `${where}${kind} item ${i + 1} is ${describe(item)}, not an object`);
    });
  }
  return [value];
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}
