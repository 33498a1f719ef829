import { describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE, UsageError, type ServeFlags } from '../../../src/cli/args.js';
import { controllerNames } from '../../../src/controllers/index.js';

function flags(argv: string[]): ServeFlags {
  const parsed = parseCliArgs(argv);
  if (parsed.command !== 'serve') throw new Error(`expected serve, got ${parsed.command}`);
  return parsed.flags;
}

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCliArgs', () => {
  it('serves with defaults when given nothing or just `serve`', () => {
    const defaults: ServeFlags = {
      port: 6443,
      host: '127.0.0.1',
      mergeKubeconfig: false,
      controllers: 'all',
      load: [],
      logLevel: 'warn',
      clock: 'real',
      nodes: 1,
      limits: {},
    };
    expect(flags([])).toEqual(defaults);
    expect(flags(['serve'])).toEqual(defaults);
  });

  it('reads the request limits, as kube-apiserver names its flags', () => {
    const argv = ['--max-requests-inflight', '10', '--max-mutating-requests-inflight', '0', '--max-watches-per-user', '3', '--request-timeout', '1m30s'];
    expect(flags(argv).limits).toEqual({ maxRequestsInflight: 10, maxMutatingRequestsInflight: 0, maxWatchesPerUser: 3, requestTimeoutMs: 90_000 });
    expect(usageError(['--max-requests-inflight', 'many'])).toBe('--max-requests-inflight must be a whole number (0 for no limit), not "many"');
    expect(usageError(['--request-timeout', '60'])).toBe('--request-timeout takes a duration such as 30s or 2m, not "60"');
  });

  it('reads every flag', () => {
    expect(
      flags(['serve', '--port', '0', '--host', '0.0.0.0', '--kubeconfig', 'kc', '--merge-kubeconfig', '--controllers', 'job,cronjob', '--log-level', 'debug', '--clock', 'virtual', '--nodes', '3']),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      kubeconfig: 'kc',
      mergeKubeconfig: true,
      controllers: ['job', 'cronjob'],
      load: [],
      logLevel: 'debug',
      clock: 'virtual',
      nodes: 3,
      limits: {},
    });
    expect(flags(['--port=7000', '--controllers=none']).controllers).toBe('none');
  });

  it('takes --load repeatedly and several paths after one flag', () => {
    expect(flags(['--load', 'a.yaml', 'b/', '--port', '0', '--load', 'c.yaml']).load).toEqual(['a.yaml', 'b/', 'c.yaml']);
    expect(flags(['serve', '--load=a.yaml', 'b.yaml']).load).toEqual(['a.yaml', 'b.yaml']);
  });

  it('answers --help and --version before anything else', () => {
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['-h', '--port', 'nope'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ command: 'version' });
  });

  it('rejects unknown flags and commands with a short message', () => {
    expect(usageError(['--prot', '1'])).toBe('unknown flag --prot');
    expect(usageError(['-x'])).toBe('unknown flag -x');
    expect(usageError(['start'])).toBe('unknown command "start"');
    expect(usageError(['serve', 'extra'])).toBe('unexpected argument "extra"');
  });

  it('rejects missing and malformed values', () => {
    expect(usageError(['--port'])).toBe('--port needs a value');
    expect(usageError(['--load', '--port', '1'])).toBe('--load needs a value');
    expect(usageError(['--help=yes'])).toBe('--help does not take a value');
    expect(usageError(['--port', 'http'])).toMatch(/--port must be a number from 0 to 65535/);
    expect(usageError(['--port', '70000'])).toMatch(/--port must be a number/);
    expect(usageError(['--port=-1'])).toMatch(/--port must be a number/);
    expect(usageError(['--log-level', 'loud'])).toMatch(/--log-level must be one of silent, error, warn, info, debug/);
    expect(usageError(['--controllers', 'job,,x'])).toMatch(/--controllers takes all, none/);
    expect(usageError(['--controllers', 'all,job'])).toMatch(/--controllers takes all, none/);
    expect(usageError(['--host', ''])).toBe('--host needs a value');
  });

  it('takes --clock and the clock command', () => {
    expect(flags(['--clock', 'virtual']).clock).toBe('virtual');
    expect(() => parseCliArgs(['--clock', 'fast'])).toThrow(UsageError);
    expect(parseCliArgs(['clock'])).toEqual({ command: 'clock', flags: {} });
    expect(parseCliArgs(['clock', 'advance', '90m', '--kubeconfig', 'k.yaml'])).toEqual({ command: 'clock', flags: { advance: '90m', kubeconfig: 'k.yaml' } });
    expect(() => parseCliArgs(['clock', 'rewind'])).toThrow(/kubesim clock advance 90m/);
  });

  it('takes the controllers command', () => {
    expect(parseCliArgs(['controllers', '--kubeconfig', 'k', '--only', 'job,crontab'])).toEqual({
      command: 'controllers',
      flags: { kubeconfig: 'k', only: ['job', 'crontab'] },
    });
    expect(() => parseCliArgs(['controllers', 'extra'])).toThrow(UsageError);
  });
});

describe('usage', () => {
  it('names every controller --controllers accepts', () => {
    const listed = USAGE.slice(USAGE.indexOf('--controllers'), USAGE.indexOf('--load')).replace(/\s+/g, ' ');
    for (const name of controllerNames()) expect(listed).toMatch(new RegExp(`\\b${name}\\b`));
  });
});

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
