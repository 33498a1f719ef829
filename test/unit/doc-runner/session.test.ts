// The walk-through runner's session on small documents of plain shell commands (no kubesim):
// exported variables carry from block to block, a failing block names its line and shows
// expected and actual output, background terminals are waited for, read and stopped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runDocument } from '../../../test/e2e/doc-runner/session.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fence = '```';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function doc(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'doc-runner-test-'));
  dirs.push(dir);
  const path = join(dir, 'doc.md');
  writeFileSync(path, lines.join('\n'));
  return path;
}
const run = (lines: string[]) => runDocument({ docPath: doc(lines), repoRoot: root, retryMs: 1500, readyMs: 5000 });

describe('runDocument', () => {
  it('keeps what a block exports for the next block, as one terminal does', async () => {
    await expect(run([`${fence}sh`, 'export GREETING=hello', fence, `${fence}sh`, 'echo "$GREETING world"', fence, `${fence}console`, 'hello world', fence])).resolves.toBeUndefined();
  });

  it('fails a block whose output differs, naming its line, the command and both outputs', async () => {
    const failure = run(['# t', `${fence}sh`, 'echo goodbye', fence, `${fence}console`, 'hello', fence]);
    await expect(failure).rejects.toThrow(/doc\.md:2: the output does not match at line 1 \(normalised\): expected "hello", got "goodbye"\n\$ echo goodbye\n--- expected \(.*doc\.md:5\) ---\nhello\n--- actual ---\ngoodbye/);
  });

  it('fails a block without expected output that exits non-zero, and shows stderr with stdout', async () => {
    await expect(run([`${fence}sh`, 'echo to-stderr >&2; false', fence])).rejects.toThrow(/expected exit code 0, got 1 ---\n--- actual ---\nto-stderr/);
  });

  it('starts a background terminal, waits for its ready text, checks its output, and stops it on Ctrl+C', async () => {
    await expect(
      run([
        '<!-- runner: background worker until "ready" -->',
        `${fence}sh`,
        "trap 'echo stopping; exit 0' INT; echo ready; sleep 0.3; echo working; while true; do sleep 0.1; done",
        fence,
        '<!-- runner: output worker -->',
        `${fence}console`,
        'ready',
        'working',
        fence,
        '<!-- runner: ctrl-c worker -->',
      ]),
    ).resolves.toBeUndefined();
  });

  it('fails when a background terminal exits before it is ready', async () => {
    await expect(run(['<!-- runner: background worker until "ready" -->', `${fence}sh`, 'echo oops; exit 3', fence])).rejects.toThrow(
      /doc\.md:2: exited, waiting for "ready"[\s\S]*oops/,
    );
  });
});
