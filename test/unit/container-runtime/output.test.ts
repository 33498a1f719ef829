import { describe, expect, it } from 'vitest';
import { ContainerLogReader } from '../../../src/container-runtime/output.js';
import { containerEnvironment } from '../../../src/container-runtime/environment.js';
import type { ContainerLike } from '../../../src/container-runtime/program.js';

const startedAt = new Date('2026-11-27T23:26:49Z');
const pod = (annotations: Record<string, string> = { team: 'blue' }) => ({ metadata: { name: 'envar-demo', namespace: 'default', annotations }, spec: { nodeName: 'kubesim-node-1' }, status: { podIP: '10.244.0.7' } });

/** The lines printed up to `until` seconds, as [offset, text]. */
function log(container: ContainerLike, opts: { until?: number; annotations?: Record<string, string> } = {}): [number, string][] {
  const reader = new ContainerLogReader({ pod: pod(opts.annotations), container: { image: 'busybox', ...container }, startedAt });
  return reader.read(opts.until ?? Infinity).map((line) => [line.at, line.newline ? line.text : `${line.text}<no newline>`]);
}

const sh = (script: string, env?: unknown[]): ContainerLike => ({ command: ['sh', '-c', script], env });

describe('ContainerLogReader: what a command prints, and when', () => {
  it.each<[string, ContainerLike, [number, string][], number?]>([
    ['echo as exec, no shell expansion', { command: ['echo', 'Hello, $NAME', '  two  spaces'] }, [[0, 'Hello, $NAME   two  spaces']]],
    ['echo through a shell', sh('echo start; sleep 5; echo done'), [[0, 'start'], [5, 'done']]],
    ['quotes and variables', sh(`echo "Hello, $GREETING" '$GREETING' \${GREETING}!`, [{ name: 'GREETING', value: 'world' }]), [[0, 'Hello, world $GREETING world!']]],
    ['unquoted expansions split into words', sh('X="a   b"; echo $X "$X"'), [[0, 'a b a   b']]],
    ['assignments do not split', sh('X="a   b"; Y=$X; echo "$Y"'), [[0, 'a   b']]],
    ['echo -n joins with the next output', sh('echo -n "a "; sleep 2; echo b'), [[0, 'a b']]],
    ['a last line without newline', sh('echo -n tail'), [[0, 'tail<no newline>']]],
    ['echo -e escapes', sh('echo -e "x\\ty\\nz"'), [[0, 'x\ty'], [0, 'z']]],
    ['date in its default format, at the time it runs', sh('date; sleep 90; date'), [[0, 'Fri Nov 27 23:26:49 UTC 2026'], [90, 'Fri Nov 27 23:28:19 UTC 2026']]],
    ['date +FORMAT', { command: ['date', '+%Y-%m-%dT%H:%M:%S %s'] }, [[0, '2026-11-27T23:26:49 1795822009']]],
    ['$(date) in echo', sh('sleep 1; echo "now: $(date)"'), [[1, 'now: Fri Nov 27 23:26:50 UTC 2026']]],
    ['printenv NAME', sh('printenv HOSTNAME MY_NODE', [{ name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]), [[0, 'envar-demo'], [0, 'kubesim-node-1']]],
    ['env values referencing earlier ones', { command: ['echo', '$(GREETING) $(NAME)'], env: [{ name: 'NAME', value: 'Kubernetes' }, { name: 'GREETING', value: 'Hello $(NAME)' }] }, [[0, 'Hello Kubernetes Kubernetes']]],
    ['&& and || choose what runs', sh('false && echo no; false || echo yes; true && echo also'), [[0, 'yes'], [0, 'also']]],
    ['exit stops the script', sh('echo one; exit 3; echo two'), [[0, 'one']]],
    ['the logging docs counter', sh('i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'), [[0, '0: Fri Nov 27 23:26:49 UTC 2026'], [1, '1: Fri Nov 27 23:26:50 UTC 2026'], [2, '2: Fri Nov 27 23:26:51 UTC 2026']], 2],
    ['for over seq', sh('for i in $(seq 3); do echo "item $i"; sleep 2; done'), [[0, 'item 1'], [2, 'item 2'], [4, 'item 3']]],
    ['if/elif/else', sh('X=2; if [ $X -eq 1 ]; then echo one; elif [ $X -eq 2 ]; then echo two; else echo many; fi'), [[0, 'two']]],
    ['printf', sh('printf "%s=%d\\n" a 1 b 2'), [[0, 'a=1'], [0, 'b=2']]],
    ['hostname', { command: ['hostname'] }, [[0, 'envar-demo']]],
    ['a command substitution takes the time it sleeps', sh('X=$(sleep 3; echo late); echo $X'), [[3, 'late']]],
    ['a busy loop is held to 10 iterations a second', sh('while :; do echo x; done'), [...Array.from({ length: 10 }, () => [0, 'x'] as [number, string]), ...Array.from({ length: 10 }, () => [1, 'x'] as [number, string])], 1.5],
    ['unknown commands print nothing and succeed', sh('frobnicate --all && echo ok'), [[0, 'ok']]],
    ['until, break and continue', sh('n=0; until [ $n -ge 5 ]; do n=$((n+1)); [ $n -eq 2 ] && continue; [ $n -eq 4 ] && break; echo $n; done'), [[0, '1'], [0, '3']]],
    ['annotations and labels through the downward API', { command: ['printenv', 'TEAM'], env: [{ name: 'TEAM', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['team']" } } }] }, [[0, 'blue']]],
    ['nested shells', sh('sh -c "echo inner; sleep 1"; echo outer'), [[0, 'inner'], [1, 'outer']]],
  ])('%s', (_name, container, want, until) => {
    expect(log(container, { until })).toEqual(want);
  });

  it('returns from endless programs that print nothing, and says when they next move', () => {
    for (const script of ['while true; do sleep 30; done', 'while true; do :; done', 'while [ 1 ]; do X=$(sleep 1); done', 'sleep infinity']) {
      const reader = new ContainerLogReader({ pod: pod(), container: { image: 'busybox', command: ['sh', '-c', script] }, startedAt });
      expect(reader.read(3600)).toEqual([]);
      expect(reader.nextEventAt()).toBeGreaterThan(3600);
    }
  });

  it('gives $RANDOM numbers that differ within a run and repeat across runs', () => {
    const [[, first]] = log(sh('echo $RANDOM $RANDOM'));
    const [a, b] = first.split(' ').map(Number);
    expect(a).not.toBe(b);
    expect([a, b].every((n) => Number.isInteger(n) && n >= 0 && n < 32768)).toBe(true);
    expect(log(sh('echo $RANDOM $RANDOM'))).toEqual([[0, first]]);
  });

  it('reads on from where it stopped', () => {
    const reader = new ContainerLogReader({ pod: pod(), container: { image: 'busybox', command: ['sh', '-c', 'echo a; sleep 2; echo -n b; sleep 2; echo c; echo -n d'] }, startedAt });
    expect(reader.read(1).map((l) => l.text)).toEqual(['a']);
    expect(reader.nextEventAt()).toBe(2);
    expect(reader.read(3)).toEqual([]);
    expect(reader.read(4)).toEqual([
      { at: 2, text: 'bc', newline: true },
      { at: 4, text: 'd', newline: false },
    ]);
    expect(reader.nextEventAt()).toBe(Infinity);
  });

  it('prints pi to 2000 significant digits for the pi Job', () => {
    const [[at, text]] = log({ image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] });
    expect(at).toBe(0);
    expect(text).toHaveLength(2001);
    expect(text.startsWith('3.14159265358979323846264338327950288419716939937510')).toBe(true);
    // Rounded at the 2000th digit, as Math::BigFloat does (checked against an independent computation).
    expect(text.endsWith('59958133904780275901')).toBe(true);
    expect(log({ command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(5)'] })).toEqual([[0, '3.1416']]);
  });

  it('lets kubesim.dev/logs replace the output, and run-seconds cut it off', () => {
    expect(log(sh('echo ignored'), { annotations: { 'kubesim.dev/logs': 'first\nsecond\n' } })).toEqual([[0, 'first'], [0, 'second']]);
    expect(log(sh('echo a; sleep 5; echo b'), { annotations: { 'kubesim.dev/run-seconds': '3' } })).toEqual([[0, 'a']]);
  });

  it('prints what a few well-known images print when run without a command', () => {
    expect(log({ image: 'redis' }, { until: 100 })).toEqual([]);
    expect(log({ image: 'busybox' })).toEqual([]);
    const nginx = log({ image: 'nginx:1.25.3' }, { until: 100 }).map(([, l]) => l);
    expect(nginx[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(nginx).toContain('2026/11/27 23:26:49 [notice] 1#1: nginx/1.25.3');
    expect(log({ image: 'hello-world' }).map(([, l]) => l).slice(0, 2)).toEqual(['', 'Hello from Docker!']);
  });
});

describe('containerEnvironment', () => {
  it('lists what printenv shows in a pod: image, kubelet and container variables', () => {
    const env = containerEnvironment({ pod: pod(), container: { env: [{ name: 'DEMO_GREETING', value: 'Hello from the environment' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] } });
    expect(env.map(([k]) => k)).toEqual([
      'PATH',
      'HOSTNAME',
      'DEMO_GREETING',
      'KUBERNETES_PORT_443_TCP_PROTO',
      'KUBERNETES_PORT_443_TCP_ADDR',
      'KUBERNETES_SERVICE_HOST',
      'KUBERNETES_SERVICE_PORT',
      'KUBERNETES_SERVICE_PORT_HTTPS',
      'KUBERNETES_PORT',
      'KUBERNETES_PORT_443_TCP',
      'KUBERNETES_PORT_443_TCP_PORT',
      'HOME',
    ]);
    expect(log({ command: ['printenv'], env: [{ name: 'HOME', value: '/home/app' }] }).map(([, l]) => l)).toContain('HOME=/home/app');
    expect(log({ command: ['printenv'] })).toContainEqual([0, 'KUBERNETES_SERVICE_HOST=10.96.0.1']);
  });
});
