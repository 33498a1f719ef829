// x-kubernetes-validations: CEL rules on a CustomResourceDefinition's schema, compiled once per
// schema and evaluated on every create and update the way apiextensions-apiserver's
// pkg/apiserver/schema/cel (compilation.go, validation.go) does it. Evaluation uses
// @marcbachmann/cel-js (see cel/environment.ts for what the environment holds).
//
// Kubernetes CEL libraries supported: strings (charAt, indexOf, lastIndexOf, lowerAscii,
// upperAscii, replace, split, substring, trim, join, format, strings.quote), lists (isSorted,
// sum, min, max, indexOf, lastIndexOf), sets (contains, equivalent, intersects), regex (matches
// as RE2, find, findAll), url (url, isURL, getScheme, getHost, getHostname, getPort,
// getEscapedPath, getQuery), quantity (quantity, isQuantity, sign, isInteger, asInteger,
// asApproximateFloat, add, sub, compareTo, isGreaterThan, isLessThan, ==), ip and cidr (ip,
// isIP, ip.isCanonical, family, isUnspecified, isLoopback, isLinkLocalMulticast,
// isLinkLocalUnicast, isGlobalUnicast, cidr, isCIDR, containsIP, containsCIDR, masked,
// prefixLength, string()), optional values, cel.bind, timestamps and durations. Validation
// ratcheting (1.30+) applies: unchanged values do not fail rules that ignore oldSelf.
//
// Left out: format.* (named formats), semver, image, authz, quantity mul/div/divInt,
// two-variable comprehensions (all(k, v, ...), transformList, transformMap), strings.reverse,
// cost estimation at CRD creation (a per-call step and time limit guards evaluation instead),
// the warnings kube returns for ratcheted errors (they are dropped), order-insensitive equality
// of x-kubernetes-list-type set/map lists, and rules nested under allOf properties (rules
// directly in allOf entries are supported). cel.bind and the evaluator's extras (e.g.
// timestamp getters with time zones) are accepted where kube's environment may not have them.

import { Optional } from '@marcbachmann/cel-js';
import { fieldError, type FieldError } from '../validation/field-errors.js';
import { Compiler, hasRules, type CelCompileError, type CelSkippedRule, type CompiledRule, type ValidatorNode } from './cel/compile.js';
import { TOTAL_TIME_LIMIT_MS, budgetExceeded, startBudget } from './cel/environment.js';
import { runtimeErrorText } from './cel/errors.js';
import { toCelValue, unstructuredEqual } from './cel/values.js';
import type { JSONSchemaProps, ValidationRule } from './types.js';

export type { CelCompileError, CelSkippedRule } from './cel/compile.js';
export { goValidationRule } from './cel/compile.js';

export interface CelValidator {
  /** Errors of every rule in the schema tree for `obj`; `old` enables transition rules (rules that use oldSelf run only on update, where both values exist, unless optionalOldSelf). */
  validate(obj: unknown, old?: unknown): FieldError[];
}

export interface CompileCelOptions {
  /** Prefix for compile error paths, e.g. `spec.validation.openAPIV3Schema`; paths are relative to the schema without it. */
  basePath?: string;
}

/**
 * Compiles every rule once; undefined when the schema has no rules. Compilation errors are
 * returned so CRD validation can refuse the CRD with kube's wording (e.g.
 * `spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: ...: compilation failed: ...`):
 * each carries its path, the detail, and the complete FieldError. `skipped` lists rules that
 * use Kubernetes CEL features kubesim lacks (see the list above): accepted, never evaluated.
 */
export function compileCelRules(schema: JSONSchemaProps, options: CompileCelOptions = {}): CompiledCelRules {
  const basePath = options.basePath ?? '';
  // Only a frozen schema (a stored or validated CRD's) is known never to change under the cache.
  if (!Object.isFrozen(schema)) return compileUncached(schema, basePath);
  let byBasePath = compiledRules.get(schema);
  if (!byBasePath) compiledRules.set(schema, (byBasePath = new Map()));
  let compiled = byBasePath.get(basePath);
  if (!compiled) byBasePath.set(basePath, (compiled = compileUncached(schema, basePath)));
  return compiled;
}

/**
 * The validator of a schema's rules, undefined when it has none or they do not compile. The
 * validator does not depend on the base path errors are reported under, so the one CRD
 * validation compiled for `spec.versions[i].schema.openAPIV3Schema` serves the version too.
 */
export function celValidatorFor(schema: JSONSchemaProps): CelValidator | undefined {
  const earlier = Object.isFrozen(schema) ? compiledRules.get(schema)?.values().next().value : undefined;
  return (earlier ?? compileCelRules(schema)).validator;
}

export type CompiledCelRules = { validator?: CelValidator; errors: CelCompileError[]; skipped?: CelSkippedRule[] };

// Compiling rules (type-checking and parsing each one) is the dearest part of creating a CRD:
// done once per schema object and base path, not again when the CRD is served.
const compiledRules = new WeakMap<JSONSchemaProps, Map<string, CompiledCelRules>>();

function compileUncached(schema: JSONSchemaProps, basePath: string): CompiledCelRules {
  if (!hasRules(schema)) return { errors: [] };
  const compiler = new Compiler(basePath);
  const root = compiler.compile(schema);
  const skipped = compiler.skipped.length > 0 ? { skipped: compiler.skipped } : {};
  if (compiler.errors.length > 0 || !root) return { errors: compiler.errors, ...skipped };
  return {
    ...skipped,
    errors: [],
    validator: {
      validate(obj: unknown, old?: unknown): FieldError[] {
        const run = new Run();
        run.node(root, undefined, obj, old, () => false);
        return run.errors;
      },
    },
  };
}

// field.Path rendering: the root is a nil path, printed `<nil>` as kube prints rule errors on
// the resource root (the validator is called with a nil path).
type Path = string | undefined;
const child = (p: Path, name: string): string => (p === undefined ? name : `${p}.${name}`);
const index = (p: Path, i: number | string): string => `${p ?? ''}[${i}]`;
const render = (p: Path): string => p ?? '<nil>';

/** Kube's message for a failed rule: its message, else `failed rule: <rule>`. */
function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : rule.rule.trim();
}

/** One validate() call; `stopped` mirrors kube returning a negative remaining budget. */
class Run {
  readonly errors: FieldError[] = [];
  private stopped = false;
  private readonly deadline = performance.now() + TOTAL_TIME_LIMIT_MS;

  /** Kube's error when the budget for the whole object is spent; validation stops there. */
  private outOfBudget(path: Path, type: string): boolean {
    if (performance.now() < this.deadline) return false;
    this.errors.push(fieldError.invalid(render(path), type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
    this.stopped = true;
    return true;
  }

  /**
   * `old` is the correlated old value (the one oldSelf sees). `parentUnchanged` is the nearest
   * correlated ancestor's equality with its old value, for ratcheting where `old` is missing.
   */
  node(v: ValidatorNode, path: Path, obj: unknown, old: unknown, parentUnchanged: () => boolean): void {
    // Only non-null values are validated; a rule checks presence from the enclosing object.
    if (this.stopped || obj === null || obj === undefined) return;
    const unchanged = old === null || old === undefined ? parentUnchanged : once(() => unstructuredEqual(obj, old));
    this.expressions(v, path, obj, old, unchanged);
    for (const a of v.allOf) this.expressions(a, path, obj, old, unchanged);
    if (Array.isArray(obj)) {
      if (!v.items) return;
      const oldList = Array.isArray(old) ? old : undefined;
      obj.forEach((item, i) => {
        const oldItem = correlatedItem(v, item, oldList);
        // Set items correlate by value for ratcheting only (oldSelf is for map lists alone).
        const inOldSet = v.setList && oldList?.some((o) => unstructuredEqual(o, item));
        this.node(v.items!, index(path, i), item, oldItem, inOldSet ? () => true : unchanged);
      });
    } else if (typeof obj === 'object') {
      const o = obj as Record<string, unknown>;
      const oldMap = typeof old === 'object' && old !== null && !Array.isArray(old) ? (old as Record<string, unknown>) : undefined;
      for (const [k, val] of Object.entries(o)) {
        if (v.additionalProperties) this.node(v.additionalProperties, index(path, k), val, oldMap?.[k], unchanged);
        const prop = v.properties.get(k);
        if (prop) this.node(prop, child(path, k), val, oldMap?.[k], unchanged);
      }
    }
  }

  private expressions(v: ValidatorNode, path: Path, obj: unknown, old: unknown, unchanged: () => boolean): void {
    if (this.stopped || v.rules.length === 0) return;
    const hasOld = old !== null && old !== undefined;
    let self: unknown;
    let oldSelf: unknown;
    let dataError: string | undefined;
    try {
      self = toCelValue(obj, v.decl);
      oldSelf = hasOld ? toCelValue(old, v.decl) : undefined;
    } catch (e) {
      dataError = runtimeErrorText(e);
    }
    const activation: Record<string, unknown> = hasOld ? { self, oldSelf } : { self };
    if (this.outOfBudget(path, v.type)) return;
    for (const rule of v.rules) {
      if (rule.usesOldSelf && !hasOld && !rule.optionalOldSelf) continue; // transition rules need an old value
      if (dataError !== undefined) {
        this.errors.push(fieldError.invalid(render(path), v.type, `${dataError} evaluating rule: ${ruleErrorString(rule.rule)}`));
        continue;
      }
      const ruleActivation = rule.optionalOldSelf ? { self, oldSelf: hasOld ? Optional.of(oldSelf) : Optional.none() } : activation;
      let result: unknown;
      let failure: unknown;
      startBudget(this.deadline);
      try {
        result = rule.program(ruleActivation);
      } catch (e) {
        failure = e;
      }
      if (budgetExceeded()) {
        if (this.outOfBudget(path, v.type)) return;
        this.errors.push(fieldError.invalid(render(path), v.type,
          `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule.rule)}`));
        this.stopped = true;
        return;
      }
      if (failure !== undefined) {
        const text = runtimeErrorText(failure);
        this.errors.push(fieldError.invalid(render(path), v.type, text === 'no such overload'
          ? `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule.rule)}`
          : `${text} evaluating rule: ${ruleErrorString(rule.rule)}`));
        continue;
      }
      if (result === true) continue;
      const at = rule.fieldPath ? child(path, rule.fieldPath) : render(path);
      const detail = this.message(rule, activation, at, v.type);
      if (this.stopped) return;
      // Validation ratcheting (on by default since 1.30): a failing rule that does not read
      // oldSelf is only a warning when the value is unchanged from the stored object.
      if (!rule.usesOldSelf && unchanged()) continue;
      this.errors.push(errorForReason(rule.rule.reason, at, v.type, detail));
    }
  }

  /** The evaluated messageExpression when it yields a usable one-line string, else message or default. */
  private message(rule: CompiledRule, activation: Record<string, unknown>, at: string, type: string): string {
    if (rule.messageProgram) {
      startBudget(this.deadline);
      let out: unknown;
      try {
        out = rule.messageProgram(activation);
      } catch {
        out = undefined;
      }
      if (budgetExceeded()) {
        this.errors.push(fieldError.invalid(at, type,
          `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(rule.rule.messageExpression)}`));
        this.stopped = true;
        return '';
      }
      if (typeof out === 'string') {
        const trimmed = out.trim();
        if (trimmed !== '' && !trimmed.includes('\n') && Buffer.byteLength(trimmed) <= 5 * 1024) return trimmed;
      }
    }
    return ruleMessageOrDefault(rule.rule);
  }
}

function errorForReason(reason: string | undefined, at: string, type: string, detail: string): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return fieldError.forbidden(at, detail);
    case 'FieldValueRequired':
      return fieldError.required(at, detail);
    case 'FieldValueDuplicate':
      return fieldError.duplicate(at, type);
    default:
      return fieldError.invalid(at, type, detail);
  }
}

function once(f: () => boolean): () => boolean {
  let v: boolean | undefined;
  return () => (v ??= f());
}

/** Only items of x-kubernetes-list-type=map lists have an old value: the old item with the same keys. */
function correlatedItem(v: ValidatorNode, item: unknown, oldList: unknown[] | undefined): unknown {
  if (!v.listMapKeys || !oldList || typeof item !== 'object' || item === null) return undefined;
  const keys = v.listMapKeys;
  const n = item as Record<string, unknown>;
  return oldList.find(
    (o) => typeof o === 'object' && o !== null && keys.every((k) => unstructuredEqual((o as Record<string, unknown>)[k], n[k])),
  );
}
