// Who a request is from (k8s.io/apiserver pkg/authentication/user.Info): what the
// authenticators produce and the authorizer, audit and SelfSubjectReview read.
export interface UserInfo {
  /** The user name, e.g. "kubernetes-admin", "system:serviceaccount:ns:sa", "system:anonymous". */
  name: string;
  uid?: string;
  groups: string[];
  /** Extra attributes (e.g. authentication.kubernetes.io/credential-id), as kube's user.Info.GetExtra. */
  extra?: Record<string, string[]>;
}

/** The groups kube-apiserver adds or checks (k8s.io/apiserver pkg/authentication/user). */
export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';

/**
 * Whom a request is from when authentication is off (`--auth none`, and the in-process
 * client): an administrator, as a kind cluster's admin kubeconfig is.
 */
export const ADMIN_USER: UserInfo = Object.freeze({ name: 'kubernetes-admin', groups: Object.freeze([SYSTEM_MASTERS, ALL_AUTHENTICATED]) as string[] });
