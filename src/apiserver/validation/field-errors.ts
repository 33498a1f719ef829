// Field errors as k8s.io/apimachinery pkg/util/validation/field builds them: a path, a type,
// the bad value and a detail; rendered into Status causes and the Invalid message.

export const FieldErrorType = {
  NotFound: 'FieldValueNotFound',
  Required: 'FieldValueRequired',
  Duplicate: 'FieldValueDuplicate',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Internal: 'InternalError',
  TypeInvalid: 'FieldValueTypeInvalid',
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
  /** Set when badValue was deliberately left out of the message (as field.Invalid with omitted values). */
  omitValue?: boolean;
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Renders a bad value the way field.Error does: strings quoted, numbers bare, objects as JSON. */
function renderValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The error's message without the field path (the Status cause's message). */
export function fieldErrorBody(e: FieldError): string {
  let s = typeText[e.type];
  const showValue =
    !e.omitValue &&
    (e.type === FieldErrorType.Invalid ||
      e.type === FieldErrorType.TypeInvalid ||
      e.type === FieldErrorType.NotSupported ||
      e.type === FieldErrorType.Duplicate ||
      e.type === FieldErrorType.NotFound ||
      e.type === FieldErrorType.TooLong);
  if (showValue && e.badValue !== undefined) s += `: ${renderValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorMessage(e: FieldError): string {
  return e.field ? `${e.field}: ${fieldErrorBody(e)}` : fieldErrorBody(e);
}

/** `a: x` for one error, `[a: x, b: y]` for several (utilerrors.NewAggregate's format). */
export function formatFieldErrors(errs: FieldError[]): string {
  const msgs = errs.map(fieldErrorMessage);
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

export function fieldErrorsToCauses(errs: FieldError[]): { reason: string; message: string; field: string }[] {
  return errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
}

export const fieldError = {
  required: (field: string, detail = ''): FieldError => ({ type: FieldErrorType.Required, field, detail }),
  invalid: (field: string, badValue: unknown, detail = ''): FieldError => ({ type: FieldErrorType.Invalid, field, badValue, detail }),
  notSupported: (field: string, badValue: unknown, valid: string[]): FieldError => ({
    type: FieldErrorType.NotSupported,
    field,
    badValue,
    detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
  }),
  forbidden: (field: string, detail: string): FieldError => ({ type: FieldErrorType.Forbidden, field, detail }),
  duplicate: (field: string, badValue: unknown): FieldError => ({ type: FieldErrorType.Duplicate, field, badValue }),
  notFound: (field: string, badValue: unknown): FieldError => ({ type: FieldErrorType.NotFound, field, badValue }),
  tooLong: (field: string, badValue: unknown, max: number): FieldError => ({
    type: FieldErrorType.TooLong,
    field,
    badValue: undefined,
    detail: `must have at most ${max} bytes`,
    omitValue: true,
  }),
  typeInvalid: (field: string, badValue: unknown, detail: string): FieldError => ({ type: FieldErrorType.TypeInvalid, field, badValue, detail }),
  internal: (field: string, detail: string): FieldError => ({ type: FieldErrorType.Internal, field, detail }),
};
