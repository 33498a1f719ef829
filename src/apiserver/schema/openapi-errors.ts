// kube-openapi's validation errors (pkg/validation/errors/schema.go, the go-openapi wording) as
// apiextensions-apiserver turns them into field errors (pkg/apiserver/validation/validation.go
// kubeOpenAPIResultToFieldErrors): Required -> Required value, enum -> Unsupported value,
// maxLength -> Too long, maxItems / maxProperties -> Too many, a type or format mismatch ->
// TypeInvalid, everything else -> Invalid value carrying the go-openapi message, and composite
// (anyOf/oneOf/allOf/not) errors -> Invalid value "" at the path "<nil>".
import { fieldError, FieldErrorType, type FieldError } from '../validation/field-errors.js';

/** The field of an error kube-openapi names `name`: its own path, or "<nil>" (a nil *field.Path) at the root. */
export function errorField(name: string): string {
  return name === '' ? '<nil>' : name;
}

/** The JSON type kube-openapi infers from a decoded value ("integer" for a whole number). */
export function goSchemaType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, boolean
}

/** Go's %q for the strings these messages quote (JSON escaping agrees for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * Go's %v of a float64 (strconv 'g' with the shortest precision): exponent form with at least
 * two exponent digits ("1e+06", "2.5e-05") when the exponent is below -4 or at least 6.
 */
export function goFloat(f: number): string {
  if (f === 0 || !Number.isFinite(f)) return String(f === 0 ? 0 : f);
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}

/**
 * A schema bound as kube-openapi prints it: compared to an integer value it is converted to
 * int64 first (MinimumNativeType and friends), otherwise printed as a float64.
 */
export function goBound(bound: number, value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) ? String(Math.trunc(bound)) : goFloat(bound);
}

const inBody = (name: string) => `${name} in body`;

export function typeError(name: string, types: string, actual: string): FieldError {
  return fieldError.typeInvalid(errorField(name), actual, `${inBody(name)} must be of type ${types}: ${goQuote(actual)}`);
}

export function formatError(name: string, format: string, value: string): FieldError {
  return fieldError.typeInvalid(errorField(name), value, `${inBody(name)} must be of type ${format}: ${goQuote(value)}`);
}

export function requiredError(name: string): FieldError {
  return fieldError.required(errorField(name));
}

/** The enum's values as NotSupported lists them: strings as they are, anything else as JSON. */
export function enumError(name: string, value: unknown, allowed: unknown[]): FieldError {
  const values = allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return fieldError.notSupported(errorField(name), value ?? null, values);
}

/**
 * field.TooLong as of Kubernetes 1.32 (apimachinery merged TooLong and TooLongMaxLength):
 * "Too long: may not be more than N bytes", the value omitted. Built here because the shared
 * fieldError.tooLong still carries the older "must have at most N bytes" wording.
 */
export function tooLongError(name: string, max: number): FieldError {
  return {
    type: FieldErrorType.TooLong,
    field: errorField(name),
    detail: max >= 0 ? `may not be more than ${max} bytes` : 'value is too long',
    omitValue: true,
  };
}

/**
 * field.TooMany: "Too many: 3: must have at most 2 items". The count is written into the detail
 * (and the value marked omitted) because the shared renderer prints no value for TooMany, while
 * kube-apiserver does; with omitValue set, a renderer that learns to print it will not repeat it.
 */
export function tooManyError(name: string, actual: number, max: number): FieldError {
  return {
    type: FieldErrorType.TooMany,
    field: errorField(name),
    badValue: actual,
    detail: `${actual}: ${max >= 0 ? `must have at most ${max} items` : 'has too many items'}`,
    omitValue: true,
  };
}

export function invalidError(name: string, value: unknown, message: string): FieldError {
  return fieldError.invalid(errorField(name), value, message);
}

// The go-openapi messages that reach users through invalidError.
export const openAPIMessage = {
  tooShort: (name: string, min: number) => `${inBody(name)} should be at least ${min} chars long`,
  pattern: (name: string, pattern: string) => `${inBody(name)} should match '${pattern}'`,
  multipleOf: (name: string, factor: string) => `${inBody(name)} should be a multiple of ${factor}`,
  minimum: (name: string, bound: string, exclusive: boolean) =>
    `${inBody(name)} should be greater than ${exclusive ? '' : 'or equal to '}${bound}`,
  maximum: (name: string, bound: string, exclusive: boolean) =>
    `${inBody(name)} should be less than ${exclusive ? '' : 'or equal to '}${bound}`,
  minItems: (name: string, min: number) => `${inBody(name)} should have at least ${min} items`,
  unique: (name: string) => `${inBody(name)} shouldn't contain duplicates`,
  minProperties: (name: string, min: number) => `${inBody(name)} should have at least ${min} properties`,
  forbiddenProperty: (name: string, key: string) => `${name}.${key} in body is a forbidden property`,
  // Composite errors quote the path with %q and carry no "in body".
  anyOf: (name: string) => `${goQuote(name)} must validate at least one schema (anyOf)`,
  oneOf: (name: string, valid: number) =>
    `${goQuote(name)} must validate one and only one schema (oneOf). ${valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`}`,
  allOf: (name: string, noneValid: boolean) => `${goQuote(name)} must validate all the schemas (allOf)${noneValid ? '. None validated' : ''}`,
  not: (name: string) => `${goQuote(name)} must not validate the schema (not)`,
};

/** A composite error: not a *errors.Validation, so it lands on the nil field path with value "". */
export function compositeError(message: string): FieldError {
  return fieldError.invalid('<nil>', '', message);
}
