// Response media types: plain JSON, or a server-side conversion asked for in Accept, as
// `application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get) or
// `as=PartialObjectMetadata[List]` (metadata-only clients). See k8s.io/apiserver
// pkg/endpoints/handlers/negotiation and response.go.
import * as errors from '../errors.js';

export type OutputTarget =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadataList'; version: 'v1' | 'v1beta1' };

const ACCEPTED = [
  'application/json',
  'application/yaml',
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
];

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const i = kv.indexOf('=');
        if (i > 0) p[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params: p };
    })
    .filter((r) => r.type !== '');
}

/** Picks the first Accept range the server can produce, for a list or a single object. */
export function negotiateOutput(accept: string | undefined, isList: boolean): OutputTarget {
  if (!accept) return { as: 'object' };
  const ranges = parseAccept(accept);
  for (const r of ranges) {
    const jsonish = r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*';
    const protoOrYaml = r.type === 'application/vnd.kubernetes.protobuf' || r.type === 'application/yaml';
    if (!jsonish && !protoOrYaml) continue;
    const as = r.params.as;
    if (!as) {
      if (r.type === 'application/vnd.kubernetes.protobuf') continue; // JSON only; clients list JSON next.
      return { as: 'object' };
    }
    if (r.type !== 'application/json') continue;
    if (r.params.g !== 'meta.k8s.io') continue;
    const v = r.params.v;
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table') return { as: 'Table', version: v };
    if (as === 'PartialObjectMetadata' && !isList) return { as: 'PartialObjectMetadata', version: v };
    if (as === 'PartialObjectMetadataList' && isList) return { as: 'PartialObjectMetadataList', version: v };
  }
  throw errors.notAcceptable(ACCEPTED);
}

export function wantsYAML(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = parseAccept(accept)[0];
  return first?.type === 'application/yaml' && !first.params.as;
}
