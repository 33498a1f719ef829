import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../../src/cli/args.js';

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('persistence flags', () => {
  it('reads --data-dir, --data-sync, --snapshot-every and --restore', () => {
    expect(parseCliArgs(['serve', '--data-dir', 'd', '--data-sync', 'batch', '--snapshot-every', '500', '--restore', 'lesson.snap'])).toMatchObject({
      command: 'serve',
      flags: { dataDir: 'd', dataSync: 'batch', snapshotEvery: 500, restore: 'lesson.snap' },
    });
    const plain = parseCliArgs([]);
    expect(plain.command === 'serve' && [plain.flags.dataDir, plain.flags.dataSync, plain.flags.restore]).toEqual([undefined, undefined, undefined]);
  });

  const bad: [string[], RegExp][] = [
    [['--data-sync', 'batch'], /--data-sync needs --data-dir/],
    [['--snapshot-every', '5'], /--snapshot-every needs --data-dir/],
    [['--data-dir', 'd', '--data-sync', 'sometimes'], /--data-sync takes always or batch, not "sometimes"/],
    [['--data-dir', 'd', '--snapshot-every', '0'], /--snapshot-every must be a whole number/],
    [['--data-dir', ' '], /--data-dir needs a value/],
    [['snapshot'], /usage: kubesim snapshot save FILE/],
    [['snapshot', 'load', 'f'], /usage: kubesim snapshot save FILE/],
    [['snapshot', 'save', 'f', '--kubeconfig', 'k', '--data-dir', 'd'], /not both/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')}`, () => expect(usageError(argv)).toMatch(message));
  }

  it('reads kubesim snapshot save FILE with a kubeconfig or a data dir', () => {
    expect(parseCliArgs(['snapshot', 'save', 'lesson.snap'])).toEqual({ command: 'snapshot', flags: { file: 'lesson.snap' } });
    expect(parseCliArgs(['snapshot', 'save', 'f', '--kubeconfig', 'k'])).toEqual({ command: 'snapshot', flags: { file: 'f', kubeconfig: 'k' } });
    expect(parseCliArgs(['snapshot', 'save', 'f', '--data-dir', 'd'])).toEqual({ command: 'snapshot', flags: { file: 'f', dataDir: 'd' } });
  });
});
