// The walk-through runner's reading of markdown: which blocks run, which output belongs to
// which command, and the <!-- runner: ... --> directives for the learner's other terminals.
import { describe, expect, it } from 'vitest';
import { isRetriable, parseWalkthrough } from '../../../test/e2e/doc-runner/parse.js';
import { rewriteForRunner } from '../../../test/e2e/doc-runner/session.js';

const fence = '```';

describe('parseWalkthrough', () => {
  it('runs sh blocks, takes the console block right after as their output, and only shows other fences', () => {
    const md = [
      '# Title',
      `${fence}yaml`,
      'kind: CronTab',
      fence,
      `${fence}sh`,
      'kubectl get ns',
      fence,
      '',
      `${fence}console`,
      'NAME   STATUS',
      fence,
      `${fence}sh`,
      'kubectl delete ns x',
      fence,
      'Some prose between.',
      `${fence}console`,
      'orphan',
      fence,
    ].join('\n');
    expect(() => parseWalkthrough(md)).toThrow(/line 16: a console block must follow a sh block/);
    const steps = parseWalkthrough(md.split('\n').slice(0, 14).join('\n'));
    expect(steps).toEqual([
      { kind: 'run', line: 5, script: 'kubectl get ns', expected: { line: 9, text: 'NAME   STATUS' } },
      { kind: 'run', line: 12, script: 'kubectl delete ns x' },
    ]);
  });

  it('reads background, output, ctrl-c and skip directives in the order the learner meets them', () => {
    const md = [
      '<!-- runner: skip done once -->',
      `${fence}sh`,
      'npm install',
      fence,
      '<!-- runner: background kubesim until "Press Ctrl+C to stop." -->',
      `${fence}sh`,
      'npx kubesim',
      fence,
      `${fence}console`,
      'kubesim 0.1.0 is serving',
      fence,
      '<!-- runner: output kubesim -->',
      `${fence}console`,
      'later',
      fence,
      '<!-- runner: ctrl-c kubesim -->',
      `${fence}sh`,
      'kubectl get ns',
      fence,
    ].join('\n');
    expect(parseWalkthrough(md)).toEqual([
      { kind: 'skip', line: 2, script: 'npm install' },
      { kind: 'run', line: 6, script: 'npx kubesim', background: { name: 'kubesim', ready: 'Press Ctrl+C to stop.' }, expected: { line: 9, text: 'kubesim 0.1.0 is serving' } },
      { kind: 'output', line: 13, name: 'kubesim', expected: { line: 13, text: 'later' } },
      { kind: 'ctrl-c', line: 16, name: 'kubesim' },
      { kind: 'run', line: 17, script: 'kubectl get ns' },
    ]);
  });

  it('refuses a directive it does not know and one left without its block', () => {
    expect(() => parseWalkthrough('<!-- runner: sometimes -->\n')).toThrow(/line 1: unknown runner directive "sometimes"/);
    expect(() => parseWalkthrough('<!-- runner: output x -->\n')).toThrow(/no block after it/);
  });

  it('leaves ordinary HTML comments alone', () => {
    expect(parseWalkthrough('<!-- TODO: a section -->\n')).toEqual([]);
  });
});

describe('isRetriable', () => {
  it('is true only for blocks of reading kubectl verbs', () => {
    expect(isRetriable('kubectl get crontabs,jobs,pods\n# a comment\nkubectl wait --for=condition=complete job/x')).toBe(true);
    expect(isRetriable('kubectl get ns\nkubectl delete ns x')).toBe(false);
    expect(isRetriable('kubectl apply -f - <<YAML\nkind: X\nYAML')).toBe(false);
    expect(isRetriable('# only a comment')).toBe(false);
  });
});

describe('rewriteForRunner', () => {
  it('puts every npx kubesim on a free port and leaves other commands as they are', () => {
    expect(rewriteForRunner('npx kubesim --controllers job\nnpx kubesimulator\nkubectl get ns')).toBe(
      'npx kubesim --port 0 --controllers job\nnpx kubesimulator\nkubectl get ns',
    );
  });
});
