// One catalogue of API errors, as metav1.Status objects with the reason, code and wording
// kube-apiserver uses (k8s.io/apimachinery pkg/api/errors/errors.go).
import type { FieldError } from './validation/field-errors.js';
import { fieldErrorsToCauses, formatFieldErrors } from './validation/field-errors.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group and resource, as errors name them: "configmaps", "deployments.apps". */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return failure(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, {
    name,
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, {
    name,
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, message: string): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${message}`, {
    name,
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

/** 422 Invalid: `Kind "name" is invalid: field: message` with one cause per field error. */
/** A server-side apply conflict (NewApplyConflict): one FieldManagerConflict cause per field. */
export function applyConflict(message: string, causes: StatusCause[]): StatusError {
  return failure(409, 'Conflict', message, { causes });
}

export function invalid(groupKind: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const qualifiedKind = groupKind.group ? `${groupKind.kind}.${groupKind.group}` : groupKind.kind;
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${formatFieldErrors(errs)}`, {
    name,
    ...(groupKind.group ? { group: groupKind.group } : {}),
    kind: groupKind.kind,
    causes: fieldErrorsToCauses(errs),
  });
}

export function badRequest(message: string, causes?: StatusCause[]): StatusError {
  return failure(400, 'BadRequest', message, causes ? { causes } : undefined);
}

export function forbidden(gr: GroupResource, name: string, reason: string): StatusError {
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return failure(403, 'Forbidden', `${subject} is forbidden: ${reason}`, {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

/** 405 with a message of its own (e.g. a create on a terminating CRD's resources). */
export function methodNotAllowed(message: string): StatusError {
  return failure(405, 'MethodNotAllowed', message);
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`, {
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

/** 410 Gone for a watch or list whose resourceVersion the history no longer holds. */
export function expired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return failure(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export function unsupportedMediaType(accepted: string[]): StatusError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

export function notAcceptable(accepted: string[]): StatusError {
  return failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

export function requestEntityTooLarge(message = 'the server has received a request that is too large'): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/**
 * A plain Go error the handler did not wrap (ErrorToAPIStatus): 500 with no reason, the error
 * text as the message; e.g. an applied configuration the schema cannot type.
 */
export function unwrappedError(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

export function internalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

export function pathNotFound(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource');
}

export function timeout(message: string): StatusError {
  return failure(504, 'Timeout', message);
}

/** apierrors.NewTooManyRequests: 429, with the seconds a client should wait (sent as Retry-After too). */
export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return failure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function toStatusError(err: unknown): StatusError {
  return isStatusError(err) ? err : internalError(err);
}
