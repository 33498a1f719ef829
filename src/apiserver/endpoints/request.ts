// The request as handlers see it: parsed request info, the resource's registry entry and
// store, query options, headers, the raw body. Handlers never touch fastify directly,
// except watch, which streams.
import type { IncomingHttpHeaders } from 'node:http';
import * as errors from '../errors.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { ResourceType } from '../registry/strategy.js';
import type { RegistryContext } from '../registry/context.js';
import type { ResourceRequestInfo } from './request-info.js';
import type { UserInfo } from '../auth/user.js';

export interface ApiRequest {
  info: ResourceRequestInfo;
  rt: ResourceType;
  store: GenericStore;
  ctx: RegistryContext;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
  /** Who sent it, once authenticated (kube's request context user); absent means authentication is off. */
  user?: UserInfo;
}

export interface ApiResponse {
  code: number;
  body: unknown;
  /** Pre-serialised body (skips JSON.stringify). */
  raw?: string;
  warnings?: string[];
}

export function jsonResponse(code: number, body: unknown, warnings?: string[]): ApiResponse {
  return warnings?.length ? { code, body, warnings } : { code, body };
}

/** `dryRun=All` is the only value kube-apiserver accepts. */
export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.length === 0) return false;
  for (const v of values) {
    if (v !== 'All') {
      throw errors.badRequest(`Invalid dryRun value: ${JSON.stringify(v)}. Only "All" is supported`);
    }
  }
  return true;
}

/** The field manager, or the user agent's product name as kube-apiserver defaults it. */
export function fieldManagerOf(req: Pick<ApiRequest, 'query' | 'headers'>): string {
  const fm = req.query.get('fieldManager');
  if (fm !== null && fm !== '') {
    if (fm.length > 128) {
      throw errors.invalid({ group: 'meta.k8s.io', kind: 'UpdateOptions' }, '', [
        { type: 'FieldValueTooLong', field: 'fieldManager', omitValue: true, detail: 'must have at most 128 bytes' },
      ]);
    }
    return fm;
  }
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0]!.slice(0, 128) || 'unknown';
}

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Warn is the server's default when a client does not say (metav1.FieldValidationWarn). */
export function fieldValidationOf(query: URLSearchParams, optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions'): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Ignore' || v === 'Warn' || v === 'Strict') return v;
  throw errors.invalid({ group: 'meta.k8s.io', kind: optionsKind }, '', [
    { type: 'FieldValueNotSupported', field: 'fieldValidation', badValue: v, detail: 'supported values: "", "Ignore", "Strict", "Warn"' },
  ]);
}
