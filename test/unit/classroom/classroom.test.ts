import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadOrCreateAccounts, readTokenFile, STUDENTS_GROUP, tokenFileLine, TOKENS_FILE } from '../../../src/classroom/accounts.js';
import { classroomObjects, DEFAULT_STUDENT_QUOTA, parseQuotaFlag } from '../../../src/classroom/objects.js';
import { numberedStudents, parseRoster, RosterError } from '../../../src/classroom/roster.js';
import { writeStudentKubeconfigs } from '../../../src/classroom/kubeconfigs.js';

describe('roster', () => {
  it('numbers students from 1', () => expect(numberedStudents(3)).toEqual(['student-1', 'student-2', 'student-3']));
  it.each([0, -1, 1.5, 1001, Number.NaN])('refuses --students %s', (n) => expect(() => numberedStudents(n)).toThrow(RosterError));

  it.each<[string, string, string[]]>([
    ['one per line, trimmed', 'ada\n  grace  \nlinus\n', ['ada', 'grace', 'linus']],
    ['comments and blank lines skipped', '# class 3b\n\nada\n  # absent: bob\ngrace\r\n', ['ada', 'grace']],
    ['digits and dashes', 'team-1\n2nd-row\n', ['team-1', '2nd-row']],
  ])('parses %s', (_what, text, want) => expect(parseRoster(text)).toEqual(want));

  it.each<[string, string, string]>([
    ['upper case', 'Ada', 'r.txt:1: "Ada" is not a valid name'],
    ['a dot', 'ada.l', 'r.txt:1: "ada.l" is not a valid name'],
    ['ending in a dash', 'ada-', 'r.txt:1: "ada-" is not a valid name'],
    ['too long', 'a'.repeat(64), 'is not a valid name'],
    ['a system namespace', 'kube-system', 'r.txt:1: "kube-system" is a namespace the cluster keeps for itself'],
    ['default', 'default', 'is a namespace the cluster keeps for itself'],
    ['a duplicate, with its first line', 'ada\ngrace\nada', 'r.txt:3: "ada" is already on line 1'],
    ['nothing but comments', '# nobody\n', 'r.txt: no names'],
  ])('refuses %s', (_what, text, message) => expect(() => parseRoster(text, 'r.txt')).toThrow(message));

  it('reports every bad line at once', () => {
    expect(() => parseRoster('Ada\nok\nkube-x\n', 'r')).toThrow(/r:1: .*\nr:3: /);
  });
});

describe('accounts', () => {
  it('writes kube-apiserver token file lines', () => {
    expect(tokenFileLine({ token: 't0k', name: 'ada', uid: 'u-1', groups: ['kubesim:students', 'b'] })).toBe('t0k,ada,u-1,"kubesim:students,b"');
  });

  it('reads back what it writes, and skips lines it does not understand', () => {
    const text = `${tokenFileLine({ token: 'a1', name: 'ada', uid: 'u1', groups: [STUDENTS_GROUP] })}\n\ngarbage line\n${tokenFileLine({ token: 'g2', name: 'grace', uid: 'u2', groups: [] })}\n`;
    expect(Object.fromEntries(readTokenFile(text))).toEqual({ ada: { token: 'a1', uid: 'u1' }, grace: { token: 'g2', uid: 'u2' } });
  });

  it('keeps the tokens of students it already knows, makes new ones for newcomers, and keeps the file private', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubesim-class-'));
    const first = await loadOrCreateAccounts(dir, ['ada', 'grace']);
    expect(first.map((a) => [a.name, a.namespace, a.groups])).toEqual([
      ['ada', 'ada', [STUDENTS_GROUP]],
      ['grace', 'grace', [STUDENTS_GROUP]],
    ]);
    expect(first[0]!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first[0]!.token).not.toBe(first[1]!.token);
    const again = await loadOrCreateAccounts(dir, ['grace', 'linus']);
    expect(again[0]).toEqual(first[1]);
    expect(again[1]!.token).not.toBe(first[0]!.token);
    expect((await stat(join(dir, TOKENS_FILE))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, TOKENS_FILE), 'utf8')).not.toContain('ada');
  });

  it('reuses a token file a teacher edited by hand', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubesim-class-'));
    await writeFile(join(dir, TOKENS_FILE), 'my-own-token,ada,1234,"x"\n');
    const [ada] = await loadOrCreateAccounts(dir, ['ada']);
    expect(ada).toMatchObject({ token: 'my-own-token', uid: '1234' });
  });
});

describe('classroom objects', () => {
  const accounts = [
    { name: 'ada', namespace: 'ada', uid: 'u1', groups: [STUDENTS_GROUP], token: 't1' },
    { name: 'grace', namespace: 'grace', uid: 'u2', groups: [STUDENTS_GROUP], token: 't2' },
  ];

  it('gives each student a namespace, admin there, and a quota', () => {
    const objs = classroomObjects(accounts);
    expect(objs.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace /ada',
      'RoleBinding ada/student-admin',
      'ResourceQuota ada/student-quota',
      'Namespace /grace',
      'RoleBinding grace/student-admin',
      'ResourceQuota grace/student-quota',
    ]);
    const binding = objs[1] as unknown as { roleRef: unknown; subjects: unknown };
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'ada' }]);
    expect((objs[2]!.spec as { hard: unknown }).hard).toEqual(DEFAULT_STUDENT_QUOTA);
  });

  it('lets the class view the cluster only when the teacher says so', () => {
    expect(classroomObjects(accounts).some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);
    const crb = classroomObjects(accounts, { viewCluster: true }).find((o) => o.kind === 'ClusterRoleBinding') as unknown as { roleRef: { name: string }; subjects: unknown };
    expect(crb.roleRef.name).toBe('view');
    expect(crb.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: STUDENTS_GROUP }]);
  });

  it.each<[string, Record<string, string> | string]>([
    ['pods=5', { ...DEFAULT_STUDENT_QUOTA, pods: '5' }],
    [' pods=5 , count/widgets.example.com=2 ', { ...DEFAULT_STUDENT_QUOTA, pods: '5', 'count/widgets.example.com': '2' }],
    ['', { ...DEFAULT_STUDENT_QUOTA }],
    ['pods', '"pods" is not RESOURCE=COUNT'],
    ['pods=lots', '"pods=lots" is not RESOURCE=COUNT'],
    ['=3', '"=3" is not RESOURCE=COUNT'],
  ])('--student-quota %j', (flag, want) => {
    if (typeof want === 'string') expect(() => parseQuotaFlag(flag)).toThrow(want);
    else expect(parseQuotaFlag(flag)).toEqual(want);
  });
});

describe('student kubeconfigs', () => {
  it('carry the server, the token and the namespace, privately', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubesim-class-'));
    const [path] = await writeStudentKubeconfigs(dir, [{ name: 'ada', namespace: 'ada', uid: 'u', groups: [], token: 'secret' }], { server: 'https://10.0.0.5:6443' });
    expect(path).toBe(join(dir, 'ada.kubeconfig'));
    const cfg = parse(await readFile(path!, 'utf8'));
    expect(cfg['current-context']).toBe('kubesim-ada');
    expect(cfg.contexts[0].context).toEqual({ cluster: 'kubesim-ada', namespace: 'ada', user: 'kubesim-ada' });
    expect(cfg.users[0].user).toEqual({ token: 'secret' });
    expect(cfg.clusters[0].cluster).toEqual({ server: 'https://10.0.0.5:6443' });
    expect((await stat(path!)).mode & 0o777).toBe(0o600);
  });
});
