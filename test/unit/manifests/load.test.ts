import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifestPaths, ManifestLoadError, parseManifests } from '../../../src/manifests/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-manifests-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const names = (loaded: { object: object }[]) =>
  loaded.map((m) => (m.object as { metadata: { name: string } }).metadata.name);

describe('loadManifestPaths', () => {
  it('reads a single YAML file', async () => {
    const file = join(dir, 'a.yaml');
    await writeFile(file, cm('a'));
    expect(await loadManifestPaths([file])).toEqual([
      { source: file, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } } },
    ]);
  });

  it('splits multi-document YAML, skips empty documents and numbers the sources', async () => {
    const file = join(dir, 'multi.yml');
    await writeFile(file, `---\n${cm('one')}---\n# just a comment\n---\n${cm('two')}---\n`);
    const loaded = await loadManifestPaths([file]);
    expect(names(loaded)).toEqual(['one', 'two']);
    expect(loaded.map((m) => m.source)).toEqual([`${file}#1`, `${file}#2`]);
  });

  it('reads JSON files', async () => {
    const file = join(dir, 'x.json');
    await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }));
    expect(names(await loadManifestPaths([file]))).toEqual(['s']);
  });

  it('walks folders recursively in lexical order and only picks manifest extensions', async () => {
    await mkdir(join(dir, 'b', 'nested'), { recursive: true });
    await writeFile(join(dir, 'c.yaml'), cm('c'));
    await writeFile(join(dir, 'a.yml'), cm('a'));
    await writeFile(join(dir, 'b', 'nested', 'z.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bz' } }));
    await writeFile(join(dir, 'b', 'a.YAML'), cm('ba'));
    await writeFile(join(dir, 'README.md'), '# not a manifest');
    await writeFile(join(dir, 'notes.txt'), 'kind: nope');
    expect(names(await loadManifestPaths([dir]))).toEqual(['a', 'ba', 'bz', 'c']);
  });

  it('keeps the order of the paths given', async () => {
    await writeFile(join(dir, 'a.yaml'), cm('a'));
    await writeFile(join(dir, 'b.yaml'), cm('b'));
    expect(names(await loadManifestPaths([join(dir, 'b.yaml'), join(dir, 'a.yaml')]))).toEqual(['b', 'a']);
  });

  it('reads relative paths from cwd and names sources as given', async () => {
    await mkdir(join(dir, 'm'));
    await writeFile(join(dir, 'm', 'a.yaml'), cm('a'));
    const loaded = await loadManifestPaths(['m'], { cwd: dir });
    expect(loaded.map((x) => x.source)).toEqual([join('m', 'a.yaml')]);
  });

  it('reads a file named explicitly whatever its extension', async () => {
    const file = join(dir, 'manifest.txt');
    await writeFile(file, cm('t'));
    expect(names(await loadManifestPaths([file]))).toEqual(['t']);
  });

  it('expands kind: List and typed lists, nested too', async () => {
    const file = join(dir, 'list.yaml');
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l1' } },
        { apiVersion: 'v1', kind: 'ConfigMapList', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l2' } }] },
      ],
    };
    await writeFile(file, JSON.stringify(list));
    const loaded = await loadManifestPaths([file]);
    expect(names(loaded)).toEqual(['l1', 'l2']);
    expect(loaded.map((m) => m.source)).toEqual([`${file}#1`, `${file}#2`]);
  });

  it('returns an empty list for an empty file', async () => {
    const file = join(dir, 'empty.yaml');
    await writeFile(file, '');
    expect(await loadManifestPaths([file])).toEqual([]);
  });

  it('passes objects that are not valid Kubernetes objects through for the server to judge', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'metadata:\n  name: x\n');
    expect(await loadManifestPaths([file])).toEqual([{ source: file, object: { metadata: { name: 'x' } } }]);
  });

  it('throws for a missing path, naming it', async () => {
    const missing = join(dir, 'nope.yaml');
    await expect(loadManifestPaths([missing])).rejects.toThrow(`${missing}: no such file or directory`);
    await expect(loadManifestPaths([missing])).rejects.toBeInstanceOf(ManifestLoadError);
  });

  it('throws for a YAML syntax error, naming the file and document', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, `${cm('ok')}---\nmetadata: [unclosed\n`);
    await expect(loadManifestPaths([file])).rejects.toThrow(new RegExp(`^${file}: document 2: `));
  });

  it('throws for a document that is not a mapping', async () => {
    const file = join(dir, 'scalar.yaml');
    await writeFile(file, '- a\n- b\n');
    await expect(loadManifestPaths([file])).rejects.toThrow(/expected a Kubernetes object \(a mapping\), got a list/);
  });
});

describe('parseManifests', () => {
  it('rejects list items that are not objects rather than dropping them', () => {
    expect(() => parseManifests('kind: List\napiVersion: v1\nitems: [1]\n', 'inline')).toThrow(/List item 1 is a number/);
  });
});
