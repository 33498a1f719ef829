// Reads a walk-through's markdown into the steps a learner follows. The conventions, which
// docs/walkthrough.md and docs/walkthrough.ko.md both follow:
//
// - A ```sh block is a command block: the learner pastes it into their terminal, and the
//   runner runs it with bash. Other fences (```yaml, ```python, ```ts ...) are only shown.
// - A ```console block right after a ```sh block (nothing but blank lines between) is the
//   output the learner should see, stdout and stderr together as a terminal shows them.
//   A command block without one must succeed (exit 0). A line `...` in an expected output
//   stands for any number of lines, for long or timing-dependent output.
// - An HTML comment `<!-- runner: ... -->` on its own line, which the rendered page does not
//   show, says what the learner does beside their main terminal:
//     <!-- runner: background NAME until "TEXT" -->  before a ```sh block: the learner runs
//         it in another terminal, and it keeps running; the runner starts it in the
//         background and waits until its output contains TEXT.
//     <!-- runner: output NAME -->  before a ```console block: what that other terminal
//         shows by now (checked against everything it printed so far).
//     <!-- runner: ctrl-c NAME -->  the learner presses Ctrl+C in that terminal.
//     <!-- runner: skip REASON -->  before a ```sh block the runner must not run, a one-time
//         set-up such as `npm install` that the test's checkout has done already.

export interface Expected {
  /** 1-based line of the ```console fence, for failure messages. */
  line: number;
  text: string;
}

export type Step =
  | { kind: 'run'; line: number; script: string; expected?: Expected; background?: { name: string; ready: string } }
  | { kind: 'output'; line: number; name: string; expected: Expected }
  | { kind: 'ctrl-c'; line: number; name: string }
  /** A command block the learner runs and the runner does not (kept, so translations can be compared). */
  | { kind: 'skip'; line: number; script: string };

type Directive =
  | { kind: 'background'; name: string; ready: string }
  | { kind: 'output'; name: string }
  | { kind: 'ctrl-c'; name: string }
  | { kind: 'skip' };

interface Fence {
  line: number;
  lang: string;
  text: string;
  directive?: Directive;
  /** Only blank lines since the previous fence closed. */
  adjacent: boolean;
}

const DIRECTIVE = /^<!--\s*runner:\s*(.*?)\s*-->\s*$/;

function parseDirective(body: string, line: number): Directive {
  let m = /^background\s+(\S+)\s+until\s+"([^"]+)"$/.exec(body);
  if (m) return { kind: 'background', name: m[1]!, ready: m[2]! };
  if (/^skip\b/.test(body)) return { kind: 'skip' };
  m = /^(output|ctrl-c)\s+(\S+)$/.exec(body);
  if (m) return { kind: m[1] as 'output' | 'ctrl-c', name: m[2]! };
  throw new Error(`line ${line}: unknown runner directive "${body}"`);
}

/** The fenced blocks of a markdown text, each with the directive just before it. */
function fences(markdown: string): { fences: Fence[]; ctrlC: { line: number; name: string; before: number }[] } {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  const ctrlC: { line: number; name: string; before: number }[] = [];
  let pending: Directive | undefined;
  let adjacent = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^(\s*)```(\w*)\s*$/.exec(line);
    if (open) {
      const indent = open[1]!.length;
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) body.push(lines[j++]!.slice(indent));
      if (j >= lines.length) throw new Error(`line ${i + 1}: unclosed code block`);
      out.push({ line: i + 1, lang: open[2]!, text: body.join('\n'), directive: pending, adjacent });
      pending = undefined;
      adjacent = true;
      i = j;
      continue;
    }
    const d = DIRECTIVE.exec(line.trim());
    if (d) {
      const directive = parseDirective(d[1]!, i + 1);
      // Ctrl+C stands alone; it happens before whatever block comes next.
      if (directive.kind === 'ctrl-c') ctrlC.push({ line: i + 1, name: directive.name, before: out.length });
      else pending = directive;
      adjacent = false;
      continue;
    }
    if (line.trim() !== '') adjacent = false;
  }
  if (pending) throw new Error(`a runner directive at the end has no block after it`);
  return { fences: out, ctrlC };
}

/** The steps of a walk-through, in the order the learner takes them. */
export function parseWalkthrough(markdown: string): Step[] {
  const { fences: blocks, ctrlC } = fences(markdown);
  const steps: Step[] = [];
  const flushCtrlC = (before: number) => {
    while (ctrlC.length > 0 && ctrlC[0]!.before <= before) {
      const c = ctrlC.shift()!;
      steps.push({ kind: 'ctrl-c', line: c.line, name: c.name });
    }
  };
  for (let i = 0; i < blocks.length; i++) {
    flushCtrlC(i);
    const block = blocks[i]!;
    if (block.lang === 'console') {
      if (block.directive?.kind === 'output') {
        steps.push({ kind: 'output', line: block.line, name: block.directive.name, expected: { line: block.line, text: block.text } });
        continue;
      }
      throw new Error(`line ${block.line}: a console block must follow a sh block or carry <!-- runner: output NAME -->`);
    }
    if (block.lang !== 'sh') {
      if (block.directive) throw new Error(`line ${block.line}: a runner directive before a ${block.lang || 'plain'} block`);
      continue;
    }
    if (block.directive?.kind === 'output') throw new Error(`line ${block.line}: <!-- runner: output --> goes before a console block`);
    const next = blocks[i + 1];
    if (block.directive?.kind === 'skip') {
      steps.push({ kind: 'skip', line: block.line, script: block.text });
      if (next?.lang === 'console' && next.adjacent && !next.directive) i++;
      continue;
    }
    const hasExpected = next?.lang === 'console' && next.adjacent && !next.directive;
    steps.push({
      kind: 'run',
      line: block.line,
      script: block.text,
      ...(block.directive?.kind === 'background' ? { background: { name: block.directive.name, ready: block.directive.ready } } : {}),
      ...(hasExpected ? { expected: { line: next.line, text: next.text } } : {}),
    });
    if (hasExpected) i++;
  }
  flushCtrlC(Infinity);
  return steps;
}

/** Only reading verbs: a block made of these alone may be run again until its output matches. */
const READ_ONLY = /^kubectl\s+(get|describe|explain|api-resources|wait|logs)\b/;

/** True when every command of the script only reads, so running it twice changes nothing. */
export function isRetriable(script: string): boolean {
  const commands = script.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return commands.length > 0 && commands.every((c) => READ_ONLY.test(c));
}
