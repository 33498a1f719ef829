// Compiling a schema's x-kubernetes-validations once, into a tree that mirrors the schema
// (apiextensions' cel.NewValidator), and collecting what CRD validation refuses a CRD for, in
// its words: the rule checks of ValidateCustomResourceDefinitionOpenAPISchema and the
// compilation results of cel.Compile.

import type { Environment, ParseResult } from '@marcbachmann/cel-js';
import { fieldError, type FieldError } from '../../validation/field-errors.js';
import type { JSONSchemaProps, ValidationRule } from '../types.js';
import { DeclTypes, additionalPropertiesOf, celTypeName, escapeName, itemsOf, properties, type DeclType } from './decl-types.js';
import { baseEnvironment, knownFunctions } from './environment.js';
import { formatCompileIssue } from './errors.js';
import { validFieldPath } from './field-path.js';
import { rewriteForEvaluation, unsupportedFeature, usesOldSelf } from './rewrite.js';

export interface CompiledRule {
  rule: ValidationRule;
  program: ParseResult;
  usesOldSelf: boolean;
  optionalOldSelf: boolean;
  messageProgram?: ParseResult;
  /** fieldPath in field.Path form, appended to the node's path. */
  fieldPath?: string;
}

export interface ValidatorNode {
  /** The schema's `type`, the bad value kube reports (`Invalid value: "object": ...`). */
  type: string;
  decl: DeclType;
  rules: CompiledRule[];
  properties: Map<string, ValidatorNode>;
  items?: ValidatorNode;
  additionalProperties?: ValidatorNode;
  allOf: ValidatorNode[];
  /** x-kubernetes-list-map-keys when the list is a map list: only its items correlate with old items. */
  listMapKeys?: string[];
  /** x-kubernetes-list-type=set: items correlate by value, for ratcheting. */
  setList?: boolean;
}

export interface CelCompileError {
  /** Field path of the offending rule field, relative to the schema root unless a basePath was given. */
  path: string;
  /** The detail, e.g. `compilation failed: ERROR: <input>:1:6: undefined field 'foo' ...`. */
  message: string;
  /** The same as kube's field error, ready for fieldErrorMessage / Status causes. */
  error: FieldError;
}

const supportedReasons = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

function join(base: string, child: string): string {
  return base === '' ? child : child.startsWith('[') ? base + child : `${base}.${child}`;
}

function unsupported(env: Environment, source: string): string | undefined {
  try {
    return unsupportedFeature(env.parse(source).ast);
  } catch {
    return undefined; // a syntax error is a compile error, whatever it names
  }
}

export function hasRules(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  if (Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].length > 0) return true;
  if (hasRules(itemsOf(s)) || hasRules(additionalPropertiesOf(s))) return true;
  if (properties(s).some(([, p]) => hasRules(p))) return true;
  return allOfRules(s).length > 0;
}

/** Rules written inside allOf entries apply at the node itself (nested allOf properties are not supported). */
function allOfRules(s: JSONSchemaProps): ValidationRule[][] {
  return (Array.isArray(s.allOf) ? s.allOf : []).map((a) => a?.['x-kubernetes-validations'] ?? []).filter((r) => r.length > 0);
}

/** Go's %#v of the internal apiextensions.ValidationRule, the bad value kube shows for a rule that does not compile. */
export function goValidationRule(r: ValidationRule): string {
  const q = (s: string | undefined) => JSON.stringify(s ?? '');
  // A set pointer prints as an address in Go; any fixed address reads the same to a person.
  const reason = r.reason === undefined ? '(*apiextensions.FieldValueErrorReason)(nil)' : '(*apiextensions.FieldValueErrorReason)(0xc000a1b2c0)';
  const optional = r.optionalOldSelf === undefined ? '(*bool)(nil)' : '(*bool)(0xc000a1b2c8)';
  return (
    `apiextensions.ValidationRule{Rule:${q(r.rule)}, Message:${q(r.message)}, MessageExpression:${q(r.messageExpression)}, ` +
    `Reason:${reason}, FieldPath:${q(r.fieldPath)}, OptionalOldSelf:${optional}}`
  );
}

/** The Go struct as a bad value: printed bare, not JSON-quoted, as field.Error prints structs. */
function ruleInvalid(field: string, r: ValidationRule, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `${goValidationRule(r)}: ${detail}`, omitValue: true };
}

/** A rule accepted but not evaluated, because it uses a Kubernetes CEL feature kubesim lacks. */
export interface CelSkippedRule {
  path: string;
  rule: string;
  feature: string;
}

export class Compiler {
  readonly errors: CelCompileError[] = [];
  readonly skipped: CelSkippedRule[] = [];
  private readonly types = new DeclTypes();
  private env?: Environment;
  private readonly pending: { node: ValidatorNode; schema: JSONSchemaProps; rules: ValidationRule[]; path: string; uncorrelatable?: string }[] = [];

  constructor(private readonly basePath: string) {}

  /** Builds the validator tree (undefined when nothing under the schema has rules) and compiles every rule. */
  compile(schema: JSONSchemaProps): ValidatorNode | undefined {
    const root = this.build(schema, this.types.declare(schema, true, 'Object'), this.basePath, undefined);
    const env = baseEnvironment().clone();
    this.types.register(env);
    this.env = env;
    for (const p of this.pending) p.node.rules = this.compileRules(p.rules, p.schema, p.node.decl, p.path, p.uncorrelatable);
    return root;
  }

  private report(path: string, error: FieldError, message = error.detail ?? ''): void {
    this.errors.push({ path, message, error });
  }

  private reportRule(path: string, rule: ValidationRule, detail: string): void {
    this.report(path, ruleInvalid(path, rule, detail), detail);
  }

  private build(
    s: JSONSchemaProps,
    decl: DeclType | undefined,
    path: string,
    uncorrelatable: string | undefined,
  ): ValidatorNode | undefined {
    if (!hasRules(s)) return undefined;
    const own = s['x-kubernetes-validations'] ?? [];
    if (!decl) {
      // No CEL type (e.g. untyped preserve-unknown-fields): rules here cannot compile, and
      // kube's validator skips the subtree.
      const at = join(path, 'x-kubernetes-validations');
      if (own.length) this.report(at, fieldError.internal(at, 'internal error: failed to retrieve type information for x-kubernetes-validations'));
      return undefined;
    }
    const node: ValidatorNode = { type: typeof s.type === 'string' ? s.type : '', decl, rules: [], properties: new Map(), allOf: [] };
    if (own.length) this.pending.push({ node, schema: s, rules: own, path, uncorrelatable });
    const items = itemsOf(s);
    if (items && decl.kind === 'list') {
      const isMapList = s['x-kubernetes-list-type'] === 'map';
      if (isMapList) node.listMapKeys = s['x-kubernetes-list-map-keys'] ?? [];
      node.setList = s['x-kubernetes-list-type'] === 'set';
      node.items = this.build(items, decl.elem, join(path, 'items'), uncorrelatable ?? (isMapList ? undefined : path));
    }
    const ap = additionalPropertiesOf(s);
    if (ap && decl.kind === 'map') node.additionalProperties = this.build(ap, decl.elem, join(path, 'additionalProperties'), uncorrelatable);
    if (decl.kind === 'object') {
      for (const [name, ps] of properties(s)) {
        const escaped = escapeName(name);
        // A property CEL cannot name is still validated, with a type of its own.
        const t = escaped === undefined ? this.types.declare(ps, ps['x-kubernetes-embedded-resource'] === true, `${decl.name}.${name.replace(/\W/g, '_')}`) : decl.fields.get(escaped)?.type;
        const child = this.build(ps, t, join(path, `properties[${name}]`), uncorrelatable);
        if (child) node.properties.set(name, child);
      }
    }
    (Array.isArray(s.allOf) ? s.allOf : []).forEach((a, i) => {
      const rules = a?.['x-kubernetes-validations'] ?? [];
      if (rules.length === 0) return;
      const sub: ValidatorNode = { ...node, rules: [], properties: new Map(), items: undefined, additionalProperties: undefined, allOf: [] };
      this.pending.push({ node: sub, schema: s, rules, path: join(path, `allOf[${i}]`), uncorrelatable });
      node.allOf.push(sub);
    });
    return node;
  }

  private compileRules(rules: ValidationRule[], s: JSONSchemaProps, decl: DeclType, path: string, uncorrelatable: string | undefined): CompiledRule[] {
    const t = celTypeName(decl);
    const env = this.env!.clone().registerVariable('self', t).registerVariable('oldSelf', t);
    let optionalEnv: Environment | undefined;
    const out: CompiledRule[] = [];
    rules.forEach((rule, i) => {
      const at = (f: string) => join(path, `x-kubernetes-validations[${i}].${f}`);
      const before = this.errors.length;
      this.checkRuleFields(rule, s, at);
      if (this.errors.length > before || typeof rule.rule !== 'string') return;
      const source = rule.rule;
      const optional = rule.optionalOldSelf === true;
      const ruleEnv = optional ? (optionalEnv ??= this.env!.clone().registerVariable('self', t).registerVariable('oldSelf', `optional<${t}>`)) : env;
      const checked = ruleEnv.check(source);
      const feature = checked.valid ? undefined : unsupported(ruleEnv, source);
      if (feature) {
        this.skipped.push({ path: at('rule'), rule: source, feature });
        return;
      }
      if (!checked.valid) {
        this.reportRule(at('rule'), rule, `compilation failed: ${formatCompileIssue(source, checked.error!, knownFunctions)}`);
        return;
      }
      if (checked.type !== 'bool') {
        this.reportRule(at('rule'), rule, 'cel expression must evaluate to a bool');
        return;
      }
      const parsed = ruleEnv.parse(source);
      const compiled: CompiledRule = {
        rule,
        program: ruleEnv.parse(rewriteForEvaluation(source, parsed.ast)),
        usesOldSelf: usesOldSelf(parsed.ast),
        optionalOldSelf: optional,
      };
      if (compiled.usesOldSelf && uncorrelatable !== undefined) {
        this.report(at('rule'), fieldError.invalid(at('rule'), source, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`));
        return;
      }
      if (!compiled.usesOldSelf && rule.optionalOldSelf !== undefined) {
        this.report(at('optionalOldSelf'), fieldError.invalid(at('optionalOldSelf'), rule.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
        return;
      }
      if (rule.fieldPath) {
        const fp = validFieldPath(rule.fieldPath, s);
        if ('path' in fp) compiled.fieldPath = fp.path;
      }
      if (rule.messageExpression?.trim()) {
        const msg = rule.messageExpression;
        const mc = env.check(msg);
        if (!mc.valid) {
          this.reportRule(at('messageExpression'), rule, `messageExpression compilation failed: ${formatCompileIssue(msg, mc.error!, knownFunctions)}`);
          return;
        }
        if (mc.type !== 'string') {
          this.reportRule(at('messageExpression'), rule, 'messageExpression must evaluate to a string');
          return;
        }
        compiled.messageProgram = env.parse(rewriteForEvaluation(msg, env.parse(msg).ast));
      }
      out.push(compiled);
    });
    return out;
  }

  /** The per-rule checks CRD validation makes before compiling anything. */
  private checkRuleFields(rule: ValidationRule, s: JSONSchemaProps, at: (f: string) => string): void {
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const ruleText = text(rule.rule).trim();
    const message = text(rule.message);
    if (ruleText === '') this.report(at('rule'), fieldError.required(at('rule'), 'rule is not specified'));
    else if (message.length > 0 && message.trim() === '') this.report(at('message'), fieldError.invalid(at('message'), message, 'message must be non-empty if specified'));
    else if (message.length > 2048) this.report(at('message'), fieldError.invalid(at('message'), message, 'message must have a maximum length of 2048 characters'));
    else if (/[\n\r]/.test(message.trim())) this.report(at('message'), fieldError.invalid(at('message'), message, 'message must not contain line breaks'));
    else if (/[\n\r]/.test(ruleText) && message.trim() === '') {
      this.report(at('message'), fieldError.required(at('message'), 'message must be specified if rule contains line breaks'));
    }
    if (rule.messageExpression !== undefined && rule.messageExpression.length > 0 && rule.messageExpression.trim() === '') {
      this.report(at('messageExpression'), fieldError.required(at('messageExpression'), 'messageExpression must be non-empty if specified'));
    }
    if (rule.reason !== undefined && !supportedReasons.includes(rule.reason)) {
      this.report(at('reason'), fieldError.notSupported(at('reason'), rule.reason, supportedReasons));
    }
    const fp = text(rule.fieldPath);
    if (fp.length > 0 && fp.trim() === '') this.report(at('fieldPath'), fieldError.invalid(at('fieldPath'), fp, 'fieldPath must be non-empty if specified'));
    if (/[\n\r]/.test(fp)) this.report(at('fieldPath'), fieldError.invalid(at('fieldPath'), fp, 'fieldPath must not contain line breaks'));
    if (fp.trim().length > 0 && 'error' in validFieldPath(fp, s)) {
      this.report(at('fieldPath'), fieldError.invalid(at('fieldPath'), fp, 'fieldPath must be a valid path'));
    }
  }
}
