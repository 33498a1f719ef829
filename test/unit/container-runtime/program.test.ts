import { describe, expect, it } from 'vitest';
import { imageBaseName, programOf, type ContainerLike } from '../../../src/container-runtime/program.js';

const pod = (annotations: Record<string, string> = {}) => ({ metadata: { name: 'p', namespace: 'default', annotations } });
const run = (container: ContainerLike, annotations: Record<string, string> = {}) => programOf({ pod: pod(annotations), container });

describe('programOf: run time and exit code from the command', () => {
  it.each([
    [['sleep', '30'], { runSeconds: 30, exitCode: 0 }],
    [['sleep', '2m'], { runSeconds: 120, exitCode: 0 }],
    [['sleep', '1', '2s'], { runSeconds: 3, exitCode: 0 }],
    [['exit', '3'], { runSeconds: 0, exitCode: 3 }],
    [['echo', 'hello', 'world'], { runSeconds: 0, exitCode: 0 }],
    [['/bin/sh', '-c', 'echo hi; sleep 5; exit 2'], { runSeconds: 5, exitCode: 2 }],
    [['sh', '-c', 'sleep 1 && sleep 2'], { runSeconds: 3, exitCode: 0 }],
    [['sh', '-c', 'false && sleep 10'], { runSeconds: 0, exitCode: 1 }],
    [['sh', '-c', 'false || exit 4'], { runSeconds: 0, exitCode: 4 }],
    [['sh', '-c', 'exit 300'], { runSeconds: 0, exitCode: 44 }],
    [['sh', '-c', 'while true; do echo hi; sleep 1; done'], { runSeconds: undefined, exitCode: 0 }],
    [['sh', '-c', 'for i in 1 2 3; do sleep $i; done'], { runSeconds: 6, exitCode: 0 }],
    [['sh', '-c', 'i=0; while [ $i -lt 4 ]; do i=$((i+1)); sleep 1; done; exit $i'], { runSeconds: 4, exitCode: 4 }],
    [['sh', '-c', 'if [ "$HOSTNAME" = p ]; then exit 7; else exit 8; fi'], { runSeconds: 0, exitCode: 7 }],
    [['sh', '-c', 'sleep 2\nsh -c "sleep 3; exit 1"\necho status $?'], { runSeconds: 5, exitCode: 0 }],
    [['sh', '-c', 'tail -f /dev/null'], { runSeconds: undefined, exitCode: 0 }],
    [['sleep', 'infinity'], { runSeconds: undefined, exitCode: 0 }],
    [['sh'], { runSeconds: 0, exitCode: 0 }],
    [['sh', '/scripts/run.sh'], { runSeconds: undefined, exitCode: 0 }],
  ])('%j -> %j', (command, want) => {
    expect(run({ image: 'busybox', command })).toEqual(want);
  });

  it('ends shell images with no command at once, keeps servers running', () => {
    expect(run({ image: 'busybox:1.36' })).toEqual({ runSeconds: 0, exitCode: 0 });
    expect(run({ image: 'docker.io/library/alpine' })).toEqual({ runSeconds: 0, exitCode: 0 });
    expect(run({ image: 'nginx' }).runSeconds).toBeUndefined();
    expect(run({ image: 'registry.k8s.io/pause:3.9' }).runSeconds).toBeUndefined();
  });

  it('joins command and args, expanding $(VAR) from the env as the kubelet does', () => {
    expect(run({ image: 'busybox', command: ['sh', '-c'], args: ['sleep 7; exit 1'] })).toEqual({ runSeconds: 7, exitCode: 1 });
    expect(run({ image: 'busybox', command: ['sleep', '$(DELAY)'], env: [{ name: 'DELAY', value: '9' }] })).toEqual({ runSeconds: 9, exitCode: 0 });
  });

  it('lets the kubesim.dev annotations override', () => {
    expect(run({ image: 'nginx' }, { 'kubesim.dev/run-seconds': '12' })).toEqual({ runSeconds: 12, exitCode: 0 });
    expect(run({ image: 'nginx' }, { 'kubesim.dev/exit-code': '5' })).toEqual({ runSeconds: 0, exitCode: 5 });
    expect(run({ image: 'busybox', command: ['sleep', '3'] }, { 'kubesim.dev/exit-code': '1' })).toEqual({ runSeconds: 3, exitCode: 1 });
    expect(run({ image: 'busybox' }, { 'kubesim.dev/run-seconds': 'soon' })).toEqual({ runSeconds: 0, exitCode: 0 });
  });

  it('names images by their last path segment', () => {
    expect(imageBaseName('ghcr.io/org/Redis:7@sha256:abc')).toBe('redis');
  });
});
