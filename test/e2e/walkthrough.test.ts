// docs/walkthrough.md and docs/walkthrough.ko.md run as a learner would follow them: every
// command block in order against a fresh kubesim (started by the walk-through itself, on a
// free port), each output compared by shape with the expected output under it
// (test/e2e/doc-runner/), so the docs never drift from what kubesim does.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseWalkthrough, type Step } from './doc-runner/parse.js';
import { runDocument } from './doc-runner/session.js';
import { kubectlBinaries, requireClient } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = { English: 'docs/walkthrough.md', Korean: 'docs/walkthrough.ko.md' };

/** A step without its line numbers: what the learner types and sees, in either language. */
function content(step: Step): unknown {
  if (step.kind === 'run') return { kind: step.kind, script: step.script, expected: step.expected?.text, background: step.background };
  if (step.kind === 'skip') return { kind: step.kind, script: step.script };
  if (step.kind === 'output') return { kind: step.kind, name: step.name, expected: step.expected.text };
  return { kind: step.kind, name: step.name };
}

function hasPythonClient(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

it('the Korean walk-through has the same commands and outputs as the English one', () => {
  const [en, ko] = Object.values(DOCS).map((doc) => parseWalkthrough(readFileSync(join(root, doc), 'utf8')).map(content));
  expect(en!.length).toBeGreaterThan(20);
  expect(ko).toEqual(en);
});

const skip =
  requireClient(kubectlBinaries().length > 0, 'kubectl') ?? requireClient(hasPythonClient(), 'the Python kubernetes client for /usr/bin/python3');

// The two languages run side by side, each against its own kubesim in its own directory.
describe.skipIf(Boolean(skip)).concurrent('every command of the walk-through gives the output it shows', () => {
  for (const [language, doc] of Object.entries(DOCS)) {
    it(language, () => runDocument({ docPath: join(root, doc), repoRoot: root }), 180_000);
  }
});
