// kube-apiserver's static token file (--token-auth-file): CSV lines of
// `token,user,uid,"group1,group2"` (k8s.io/apiserver pkg/authentication/token/tokenfile).
// As kube: at least three columns, an empty token is skipped with a warning, a repeated
// token keeps the later line with a warning, the optional fourth column is split on commas.
import type { UserInfo } from './user.js';

export interface StaticToken {
  token: string;
  user: string;
  uid?: string;
  groups?: string[];
}

export interface TokenFile {
  users: Map<string, UserInfo>;
  /** What kube-apiserver would log as warnings (empty or duplicate tokens), with line numbers. */
  warnings: string[];
}

export class TokenFileError extends Error {
  override name = 'TokenFileError';
}

/** Parses a token file's text; throws TokenFileError naming the line for a malformed one. */
export function parseTokenFile(text: string, source = 'token file'): TokenFile {
  const users = new Map<string, UserInfo>();
  const warnings: string[] = [];
  const records = parseCSV(text, source);
  for (const { line, fields } of records) {
    if (fields.length < 3) {
      throw new TokenFileError(`${source} must have at least 3 columns (token, user name, user uid), found ${fields.length} on line ${line}`);
    }
    const [token, name, uid, groups] = fields as [string, string, string, string | undefined];
    if (token === '') {
      warnings.push(`empty token has been found in ${source}, line ${line}`);
      continue;
    }
    if (users.has(token)) warnings.push(`duplicate token has been found in ${source}, line ${line}`);
    const user: UserInfo = { name, uid, groups: groups === undefined || groups === '' ? [] : groups.split(',') };
    users.set(token, user);
  }
  return { users, warnings };
}

/** Static tokens given as data (startCluster's `tokens`), checked as the file's lines are. */
export function staticTokenUsers(tokens: StaticToken[]): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  for (const t of tokens) {
    if (!t.token || !t.user) throw new TokenFileError('a static token needs a token and a user name');
    users.set(t.token, { name: t.user, uid: t.uid ?? '', groups: [...(t.groups ?? [])] });
  }
  return users;
}

/**
 * RFC 4180 records as Go's encoding/csv reads them with TrimLeadingSpace: quoted fields may
 * hold commas and doubled quotes; blank lines are skipped; a bare quote inside an unquoted
 * field or an unterminated quote is an error.
 */
export function parseCSV(text: string, source = 'input'): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    // A blank line (or one of only a line break) is no record.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new TokenFileError(`${source}: line ${startLine}: extraneous or missing " in quoted-field`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new TokenFileError(`${source}: line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new TokenFileError(`${source}: line ${line}: bare " in non-quoted-field`);
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    out.push({ line: startLine, fields });
  }
  return out;
}
