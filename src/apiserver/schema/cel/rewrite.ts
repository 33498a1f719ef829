// What a compiled rule runs is the rule's text with two source edits, made from the parsed
// tree's ranges so type checking and compile errors still see the author's text:
//  - every comprehension body (all, exists, exists_one, map, filter) first counts a step,
//    the guard against runaway evaluation that cel-go's cost limit gives kube. The count is
//    bound with cel.bind, whose value is evaluated before the body, so once the budget is
//    spent each remaining iteration fails at once instead of running nested loops;
//  - `matches` calls go to an RE2-compatible implementation (the evaluator's own is
//    JavaScript RegExp and cannot be replaced in place).

import type { ASTNode } from '@marcbachmann/cel-js';
import { RE2_MATCHES } from './library/regex.js';

export const STEP_FUNCTION = '__cel_step';
const STEP_VARIABLE = '__cel_steps';

const comprehensions = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

type Edit = { at: number; remove: number; insert: string };

function children(node: ASTNode): ASTNode[] {
  const out: ASTNode[] = [];
  const args: unknown = node.args;
  if (isNode(args)) return [args]; // unary operators hold their operand directly
  if (!Array.isArray(args)) return out;
  for (const a of args) {
    if (Array.isArray(a)) {
      for (const x of a) if (isNode(x)) out.push(x);
      else if (Array.isArray(x)) for (const y of x) if (isNode(y)) out.push(y);
    } else if (isNode(a)) out.push(a);
  }
  return out;
}

function isNode(v: unknown): v is ASTNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'range' in v;
}

function walk(node: ASTNode, visit: (n: ASTNode) => void): void {
  visit(node);
  for (const c of children(node)) walk(c, visit);
}

/** Whether the expression reads `oldSelf`, which makes the rule a transition rule. */
export function usesOldSelf(ast: ASTNode): boolean {
  let found = false;
  walk(ast, (n) => {
    if (n.op === 'id' && n.args === 'oldSelf') found = true;
  });
  return found;
}

const unsupportedMethods = new Set(['transformList', 'transformMap', 'transformMapEntry', 'reverse', 'mul', 'div', 'divInt']);
const unsupportedFunctions = new Set(['isSemver', 'semver', 'image', 'isImage', 'authorizer']);

/**
 * The Kubernetes CEL feature a rule uses that kubesim does not implement, if any: a valid CRD
 * using one is accepted with that rule skipped, rather than refused.
 */
export function unsupportedFeature(ast: ASTNode): string | undefined {
  let found: string | undefined;
  walk(ast, (n) => {
    if (found) return;
    if (n.op === 'rcall') {
      const [name, receiver, args] = n.args;
      if (['all', 'exists', 'existsOne', 'exists_one'].includes(name) && args.length === 3 && args[0]!.op === 'id' && args[1]!.op === 'id') {
        found = `two-variable comprehension ${name}()`;
      } else if (unsupportedMethods.has(name)) found = `${name}()`;
      else if (receiver.op === 'id' && receiver.args === 'format') found = `format.${name}()`;
    } else if (n.op === 'call' && unsupportedFunctions.has(n.args[0])) found = `${n.args[0]}()`;
  });
  return found;
}

/** The source to run: comprehension bodies counted, `matches` made RE2. */
export function rewriteForEvaluation(source: string, ast: ASTNode): string {
  const edits: Edit[] = [];
  walk(ast, (n) => {
    if (n.op === 'rcall') {
      const [name, receiver, args] = n.args;
      if (comprehensions.has(name) && args.length >= 2 && args[0]!.op === 'id') {
        const body = args[1]!;
        edits.push({ at: body.range.start, remove: 0, insert: `cel.bind(${STEP_VARIABLE}, ${STEP_FUNCTION}(), (` });
        edits.push({ at: body.range.end, remove: 0, insert: '))' });
      } else if (name === 'matches') {
        const from = receiver.range.end;
        const at = source.indexOf('matches', from);
        if (at >= 0) edits.push({ at, remove: 'matches'.length, insert: RE2_MATCHES });
      }
    } else if (n.op === 'call' && n.args[0] === 'matches' && source.startsWith('matches', n.range.start)) {
      edits.push({ at: n.range.start, remove: 'matches'.length, insert: RE2_MATCHES });
    }
  });
  // Apply from the end so earlier offsets stay valid; at one offset a closing '))' goes first.
  edits.sort((a, b) => b.at - a.at || (a.insert === '))' ? -1 : 1));
  let out = source;
  for (const e of edits) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);
  return out;
}
