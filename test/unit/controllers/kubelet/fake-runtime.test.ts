import { describe, expect, it } from 'vitest';
import { imageBaseName, interpretArgv, programOf } from '../../../../src/controllers/kubelet/fake-runtime.js';

describe('interpretArgv', () => {
  it.each([
    [['sleep', '30'], { runSeconds: 30, exitCode: 0 }],
    [['sleep', '2m'], { runSeconds: 120, exitCode: 0 }],
    [['exit', '3'], { runSeconds: 0, exitCode: 3 }],
    [['echo', 'hello', 'world'], { runSeconds: 0, exitCode: 0 }],
    [['/bin/sh', '-c', 'echo hi; sleep 5; exit 2'], { runSeconds: 5, exitCode: 2 }],
    [['sh', '-c', 'sleep 1 && sleep 2'], { runSeconds: 3, exitCode: 0 }],
    [['sh', '-c', 'false && sleep 10'], { runSeconds: 0, exitCode: 1 }],
    [['sh', '-c', 'false || exit 4'], { runSeconds: 0, exitCode: 4 }],
    [['sh', '-c', 'exit 300'], { runSeconds: 0, exitCode: 44 }],
    [['sh', '-c', 'while true; do echo hi; sleep 1; done'], { runSeconds: undefined, exitCode: 0 }],
    [['sleep', 'infinity'], { runSeconds: undefined, exitCode: 0 }],
    [['sh'], { runSeconds: 0, exitCode: 0 }],
  ])('%j -> %j', (argv, want) => {
    expect(interpretArgv(argv)).toEqual(want);
  });
});

describe('programOf', () => {
  it('ends shell images with no command at once, keeps servers running', () => {
    expect(programOf({ image: 'busybox:1.36' })).toEqual({ runSeconds: 0, exitCode: 0 });
    expect(programOf({ image: 'docker.io/library/alpine' })).toEqual({ runSeconds: 0, exitCode: 0 });
    expect(programOf({ image: 'nginx' }).runSeconds).toBeUndefined();
    expect(programOf({ image: 'registry.k8s.io/pause:3.9' }).runSeconds).toBeUndefined();
  });

  it('joins command and args', () => {
    expect(programOf({ image: 'busybox', command: ['sh', '-c'], args: ['sleep 7; exit 1'] })).toEqual({ runSeconds: 7, exitCode: 1 });
  });

  it('lets the kubesim.dev annotations override', () => {
    expect(programOf({ image: 'nginx' }, { 'kubesim.dev/run-seconds': '12' })).toEqual({ runSeconds: 12, exitCode: 0 });
    expect(programOf({ image: 'nginx' }, { 'kubesim.dev/exit-code': '5' })).toEqual({ runSeconds: 0, exitCode: 5 });
    expect(programOf({ image: 'busybox', command: ['sleep', '3'] }, { 'kubesim.dev/exit-code': '1' })).toEqual({ runSeconds: 3, exitCode: 1 });
    expect(programOf({ image: 'busybox' }, { 'kubesim.dev/run-seconds': 'soon' })).toEqual({ runSeconds: 0, exitCode: 0 });
  });

  it('names images by their last path segment', () => {
    expect(imageBaseName('ghcr.io/org/Redis:7@sha256:abc')).toBe('redis');
  });
});
