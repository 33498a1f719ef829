// Decoding request bodies: JSON or YAML by Content-Type, the object's apiVersion and kind
// checked against the URL, as the create/update handlers' decoders do.
import { parse as parseYAML } from 'yaml';
import * as errors from '../errors.js';
import type { KubeObject } from '../object.js';
import { isPlainObject } from '../object.js';
import { apiVersionOf, type ResourceType } from '../registry/strategy.js';
import { decodeKubernetesProtobuf } from './protobuf/decode.js';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Parses a body as JSON, YAML or Kubernetes protobuf (what typed clients such as kubectl create send); anything else is 415. */
export function parseBody(body: Buffer | undefined, contentType: string | undefined, accepted = ['application/json', 'application/yaml', PROTOBUF]): unknown {
  const mt = mediaType(contentType) || 'application/json';
  if (!accepted.includes(mt) && !(mt === '*/*' && accepted.includes('application/json'))) {
    throw errors.unsupportedMediaType(accepted);
  }
  if (mt === PROTOBUF) return decodeKubernetesProtobuf(body ?? Buffer.alloc(0)).object;
  const text = body ? body.toString('utf8') : '';
  if (mt === 'application/yaml' || mt === 'application/apply-patch+yaml') {
    try {
      return parseYAML(text, { maxAliasCount: 100 }) as unknown;
    } catch (e) {
      throw errors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (text.trim() === '') throw errors.badRequest('Object \'Kind\' is missing in \'\'');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** Decodes a full object for create or update and checks it names the URL's kind. */
export function decodeObject(rt: ResourceType, parsed: unknown): KubeObject {
  if (!isPlainObject(parsed)) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const expectedVersion = apiVersionOf(rt);
  if (parsed.apiVersion !== undefined && parsed.apiVersion !== '' && parsed.apiVersion !== expectedVersion) {
    throw errors.badRequest(`the API version in the data (${String(parsed.apiVersion)}) does not match the expected API version (${expectedVersion})`);
  }
  if (parsed.kind !== undefined && parsed.kind !== '' && parsed.kind !== rt.kind) {
    throw errors.badRequest(`the kind in the data (${String(parsed.kind)}) does not match the expected kind (${rt.kind})`);
  }
  if (parsed.metadata === undefined || parsed.metadata === null) parsed.metadata = {};
  if (!isPlainObject(parsed.metadata)) {
    throw errors.badRequest(`json: cannot unmarshal ${Array.isArray(parsed.metadata) ? 'array' : typeof parsed.metadata} into Go struct field ${rt.kind}.metadata of type v1.ObjectMeta`);
  }
  return parsed as KubeObject;
}
