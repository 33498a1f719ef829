// The user a request was authenticated (and, with impersonation, resolved) as, kept beside
// the raw request the way kube-apiserver keeps it in the request context. Filters run in
// kube's order: authentication sets it, impersonation may replace it, authorization and the
// handlers read it. A request no filter saw is the administrator's (authentication off).
import type { IncomingMessage } from 'node:http';
import { ADMIN_USER, type UserInfo } from './user.js';

const users = new WeakMap<IncomingMessage, UserInfo>();

export function setRequestUser(req: IncomingMessage, user: UserInfo): void {
  users.set(req, user);
}

export function requestUser(req: IncomingMessage): UserInfo {
  return users.get(req) ?? ADMIN_USER;
}
