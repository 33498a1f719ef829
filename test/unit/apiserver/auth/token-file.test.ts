import { describe, expect, it } from 'vitest';
import { parseCSV, parseTokenFile, TokenFileError } from '../../../../src/apiserver/auth/token-file.js';

describe('parseTokenFile (kube-apiserver --token-auth-file)', () => {
  const cases: { name: string; text: string; users: Record<string, { name: string; uid?: string; groups: string[] }>; warnings?: number }[] = [
    { name: 'three columns, no groups', text: 'abc,alice,1\n', users: { abc: { name: 'alice', uid: '1', groups: [] } } },
    { name: 'quoted groups with a comma', text: 'abc,alice,1,"dev,qa"\n', users: { abc: { name: 'alice', uid: '1', groups: ['dev', 'qa'] } } },
    { name: 'one unquoted group', text: 'abc,alice,1,dev', users: { abc: { name: 'alice', uid: '1', groups: ['dev'] } } },
    { name: 'leading spaces trimmed, CRLF, blank lines', text: 'abc, alice, 1\r\n\r\n\ndef,bob,2\r\n', users: { abc: { name: 'alice', uid: '1', groups: [] }, def: { name: 'bob', uid: '2', groups: [] } } },
    { name: 'empty token skipped with a warning', text: ',alice,1\nabc,bob,2\n', users: { abc: { name: 'bob', uid: '2', groups: [] } }, warnings: 1 },
    { name: 'duplicate token: the later line wins, with a warning', text: 'abc,alice,1\nabc,bob,2\n', users: { abc: { name: 'bob', uid: '2', groups: [] } }, warnings: 1 },
    { name: 'doubled quote inside a quoted field', text: 'abc,"al""ice",1\n', users: { abc: { name: 'al"ice', uid: '1', groups: [] } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const file = parseTokenFile(c.text);
      expect(Object.fromEntries(file.users)).toEqual(c.users);
      expect(file.warnings).toHaveLength(c.warnings ?? 0);
    });
  }

  const bad: { name: string; text: string; message: RegExp }[] = [
    { name: 'fewer than three columns', text: 'abc,alice,1\nabc,bob\n', message: /at least 3 columns \(token, user name, user uid\), found 2 on line 2/ },
    { name: 'a comment is not special (as in kube)', text: '# tokens\n', message: /found 1 on line 1/ },
    { name: 'unterminated quote', text: 'abc,"alice,1\n', message: /extraneous or missing " in quoted-field/ },
    { name: 'bare quote', text: 'abc,al"ice,1\n', message: /bare " in non-quoted-field/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, () => {
      expect(() => parseTokenFile(c.text)).toThrow(TokenFileError);
      expect(() => parseTokenFile(c.text)).toThrow(c.message);
    });
  }

  it('numbers records by the line they start on', () => {
    expect(parseCSV('a,b\n\n"c\nd",e\nf').map((r) => r.line)).toEqual([1, 3, 5]);
  });
});
