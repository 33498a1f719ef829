// The openAPIV3Schema of an apiextensions.k8s.io/v1 CustomResourceDefinition version
// (k8s.io/apiextensions-apiserver pkg/apis/apiextensions/v1 types_jsonschema.go), as the JSON
// a client sends. Only the shapes are declared here; the algorithms live beside this file.

/** A JSON value as stored in `default`, `enum` and `example`. */
export type JSON = null | boolean | number | string | JSON[] | { [key: string]: JSON };

/** One x-kubernetes-validations rule (a CEL expression evaluated elsewhere). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface ExternalDocumentation {
  description?: string;
  url?: string;
}

export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | string;
  format?: string;
  title?: string;
  description?: string;
  default?: JSON;
  example?: JSON;
  externalDocs?: ExternalDocumentation;
  nullable?: boolean;
  enum?: JSON[];

  // numbers: OpenAPI 3.0 keeps exclusiveMinimum / exclusiveMaximum as booleans on the bound.
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;

  // strings
  pattern?: string;
  minLength?: number;
  maxLength?: number;

  // arrays
  items?: JSONSchemaProps;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;

  // objects
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;

  // composition: value validations only in a structural schema
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;

  // Kubernetes extensions
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'granular' | 'atomic';
  'x-kubernetes-validations'?: ValidationRule[];
}

/** The schema of `additionalProperties`, or undefined when it is absent or a boolean. */
export function additionalPropertiesSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const ap = s?.additionalProperties;
  return typeof ap === 'object' && ap !== null ? ap : undefined;
}
