// Protobuf field tables (notation in messages.ts) for k8s.io/api authentication/v1 (and the
// v1beta1 / v1alpha1 SelfSubjectReview, field for field the same): what `kubectl create token`
// and `kubectl auth whoami` send. UserInfo.extra (map of ExtraValue) is left out: a client
// never sends it in a request body.
import type { MessageSources } from './messages.js';

export const authenticationMessages: MessageSources = {
  TokenRequest: `1 metadata ObjectMeta, 2 spec TokenRequestSpec, 3 status TokenRequestStatus`,
  TokenRequestSpec: `1 audiences []string!, 4 expirationSeconds *int64, 3 boundObjectRef *BoundObjectReference`,
  BoundObjectReference: `1 kind string, 2 apiVersion string, 3 name string, 4 uid string`,
  TokenRequestStatus: `1 token string!, 2 expirationTimestamp Time!`,
  SelfSubjectReview: `1 metadata ObjectMeta, 2 status SelfSubjectReviewStatus`,
  SelfSubjectReviewStatus: `1 userInfo UserInfo`,
  UserInfo: `1 username string, 2 uid string, 3 groups []string`,
  TokenReview: `1 metadata ObjectMeta, 2 spec TokenReviewSpec, 3 status TokenReviewStatus`,
  TokenReviewSpec: `1 token string, 2 audiences []string`,
  TokenReviewStatus: `1 authenticated bool, 2 user UserInfo, 3 error string, 4 audiences []string`,
};
