// Impersonation (k8s.io/apiserver pkg/endpoints/filters/impersonation.go): Impersonate-User,
// Impersonate-Group (repeatable), Impersonate-Uid and Impersonate-Extra-<key> headers make the
// request act as another user, each one allowed only by the `impersonate` verb on users,
// groups, serviceaccounts, uids or userextras/<key>. The impersonated user is authenticated
// (system:authenticated), or system:unauthenticated when it is system:anonymous.
import * as errors from '../errors.js';
import type { StatusError } from '../errors.js';
import type { Attributes, Authorizer } from './authorizer.js';
import { forbiddenError } from './forbidden.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS, type UserInfo } from './user.js';

/** Header values by lower-case name; a repeated header is an array (node's headersDistinct). */
export type HeaderValues = Record<string, string | string[] | undefined>;

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const SA_PREFIX = 'system:serviceaccount:';

const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether the request carries any impersonation header (the common case has none: a quick test). */
export function hasImpersonation(headers: HeaderValues): boolean {
  for (const k in headers) if (k.startsWith('impersonate-')) return true;
  return false;
}

/** The user the request acts as, or the 400 / 403 kube answers. */
export function impersonate(requester: UserInfo, headers: HeaderValues, authorizer: Authorizer): UserInfo | StatusError {
  const userName = values(headers[USER])[0];
  const groups = values(headers[GROUP]);
  const uid = values(headers[UID])[0];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!k.startsWith(EXTRA_PREFIX)) continue;
    let key = k.slice(EXTRA_PREFIX.length);
    try {
      key = decodeURIComponent(key);
    } catch {
      return errors.badRequest(`malformed extra key for impersonation request: ${JSON.stringify(key)}`);
    }
    extra[key.toLowerCase()] = values(v);
  }
  if (!userName) {
    if (groups.length || uid !== undefined || Object.keys(extra).length) {
      const refs = [...groups.map((g) => `{Group  ${g}    }`), ...(uid !== undefined ? [`{UID  ${uid}    }`] : [])];
      for (const [k, vs] of Object.entries(extra)) for (const v of vs) refs.push(`{UserExtra  ${v}    ${k}}`);
      return errors.badRequest(`requested [${refs.join(' ')}] without impersonating a user`);
    }
    return requester;
  }
  const check = (attrs: Omit<Attributes, 'user' | 'verb' | 'isResourceRequest'>): StatusError | undefined => {
    const full: Attributes = { user: requester, verb: 'impersonate', isResourceRequest: true, ...attrs };
    const r = authorizer.authorize(full);
    return r.decision === 'allow' ? undefined : forbiddenError(full, r.reason);
  };
  let impersonatedGroups = [...groups];
  let denied: StatusError | undefined;
  const sa = userName.startsWith(SA_PREFIX) ? userName.slice(SA_PREFIX.length).split(':') : undefined;
  if (sa && sa.length === 2 && sa[0] && sa[1]) {
    denied = check({ apiGroup: '', resource: 'serviceaccounts', namespace: sa[0], name: sa[1] });
    // A ServiceAccount's groups are fixed; they are added when none were asked for.
    if (!groups.length) impersonatedGroups = ['system:serviceaccounts', `system:serviceaccounts:${sa[0]}`];
  } else {
    denied = check({ apiGroup: '', resource: 'users', name: userName });
  }
  if (denied) return denied;
  for (const g of groups) {
    denied = check({ apiGroup: '', resource: 'groups', name: g });
    if (denied) return denied;
  }
  for (const [k, vs] of Object.entries(extra)) {
    for (const v of vs) {
      denied = check({ apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: k, name: v });
      if (denied) return denied;
    }
  }
  if (uid !== undefined) {
    denied = check({ apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid });
    if (denied) return denied;
  }
  if (userName === ANONYMOUS) {
    if (!impersonatedGroups.includes(ALL_UNAUTHENTICATED)) impersonatedGroups.push(ALL_UNAUTHENTICATED);
  } else if (!impersonatedGroups.includes(ALL_AUTHENTICATED)) {
    impersonatedGroups.push(ALL_AUTHENTICATED);
  }
  const user: UserInfo = { name: userName, groups: impersonatedGroups };
  if (uid !== undefined) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
