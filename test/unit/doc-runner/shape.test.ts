// Shape matching of the walk-through runner: what may differ between the docs and a run
// (ages, generated names, uids, timestamps, ports, column widths) and what may not.
import { describe, expect, it } from 'vitest';
import { firstDifference, matchesShape, normaliseLine } from '../../../test/e2e/doc-runner/shape.js';

describe('normaliseLine', () => {
  it.each([
    ['pod/my-new-cron-object-dvctv   0/1     Completed   0          3s', 'pod/my-new-cron-object-<id>  0/1  Completed  0  <age>'],
    ['web-7d4b9c8f6d-x2k9p', 'web-<id>-<id>'],
    ['  Creation Timestamp:  2026-11-28T03:31:48Z', '  Creation Timestamp:  <time>'],
    ['  UID:                 d7e31dd4-0f56-49e4-aa9f-affa1a50a86f', '  UID:  <uid>'],
    ['  Resource Version:    12', '  Resource Version:  <rv>'],
    ['  resourceVersion: "47"', '  resourceVersion: "<rv>"'],
    ['kubesim 0.1.0 is serving the Kubernetes API at http://127.0.0.1:6443', 'kubesim <version> is serving the Kubernetes API at http://127.0.0.1:<port>'],
    ['  export KUBECONFIG=/home/you/kubesim/.kubesim/kubeconfig', '  export KUBECONFIG=<dir>/.kubesim/kubeconfig'],
    ['default   Active   1h30m', 'default  Active  <age>'],
    ['  cronSpec\t<string>', '  cronSpec  <string>'],
    ['service/hello   ClusterIP   10.96.0.11    <none>        80/TCP    5s', 'service/hello  ClusterIP  <cluster-ip>  <none>  80/TCP  <age>'],
  ])('%s', (line, normal) => {
    expect(normaliseLine(line)).toBe(normal);
  });

  it('keeps words, counts and schedules that only look volatile', () => {
    for (const line of ['crontab.stable.example.com/my-new-cron-object', '2/2', '443/TCP', '* * * * */5', 'stable.example.com/v1', 'crontab-python', 'observedGeneration":2']) {
      expect(normaliseLine(line)).toBe(line);
    }
  });
});

describe('matchesShape', () => {
  const expected = 'NAME                 SPEC          REPLICAS   AGE\nmy-new-cron-object   * * * * */5   2          0s\n';
  it('matches a run whose ages and column widths differ', () => {
    expect(matchesShape(expected, 'NAME                 SPEC          REPLICAS   AGE\nmy-new-cron-object   * * * * */5   2          115s\n\n')).toBe(true);
  });
  it('does not match other words, values or lines', () => {
    expect(matchesShape(expected, expected.replace('   2   ', '   3   '))).toBe(false);
    expect(matchesShape(expected, 'NAME  SPEC  REPLICAS  AGE\n')).toBe(false);
    expect(matchesShape(expected, `${expected}other-cron   * * * * */5   1   0s\n`)).toBe(false);
  });
  it("leaves out kubectl rollout status's progress lines, whose number depends on timing", () => {
    const done = 'deployment "hello" successfully rolled out\n';
    const progress = 'Waiting for deployment "hello" rollout to finish: 1 old replicas are pending termination...\n';
    expect(matchesShape(done, `${progress}${progress}${done}`)).toBe(true);
    expect(matchesShape(done, progress)).toBe(false);
  });
  it('lets a ... line stand for any number of lines, none included', () => {
    const withGap = 'watching CronTabs\n...\ncreated Job x\n...';
    expect(matchesShape(withGap, 'watching CronTabs\ncreated Job x')).toBe(true);
    expect(matchesShape(withGap, 'watching CronTabs\nstatus a\nstatus b\ncreated Job x\nstatus c')).toBe(true);
    expect(matchesShape(withGap, 'watching CronTabs\nstatus a')).toBe(false);
  });
});

describe('blank lines and differences', () => {
  it('counts a run of blank lines as one, as kubectl versions differ there', () => {
    expect(matchesShape('FIELD: spec <Object>\n\n\nDESCRIPTION:', 'FIELD: spec <Object>\n\nDESCRIPTION:\n\n\n')).toBe(true);
    expect(matchesShape('FIELD: spec <Object>\n\nDESCRIPTION:', 'FIELD: spec <Object>\nDESCRIPTION:')).toBe(false);
  });
  it('names the first line that differs', () => {
    expect(firstDifference('a\nb   2s\nc', 'a\nb   9s\nd')).toBe('line 3 (normalised): expected "c", got "d"');
    expect(firstDifference('a\nb', 'a')).toBe('line 2 (normalised): expected "b", got "(end of output)"');
    expect(firstDifference('a', 'a')).toBeUndefined();
  });
});
