// Protobuf field tables (notation in messages.ts) for k8s.io/api rbac/v1 (Role, ClusterRole and
// their bindings) and authorization/v1 (the access reviews `kubectl auth can-i` sends). Field
// numbers from each package's generated.proto; JSON names and omitempty from its types.go.
import type { MessageSources } from './messages.js';

export const rbacAuthorizationMessages: MessageSources = {
  PolicyRule: `1 verbs []string, 2 apiGroups []string, 3 resources []string, 4 resourceNames []string, 5 nonResourceURLs []string`,
  AggregationRule: `1 clusterRoleSelectors []LabelSelector`,
  Role: `1 metadata ObjectMeta, 2 rules []PolicyRule`,
  ClusterRole: `1 metadata ObjectMeta, 2 rules []PolicyRule, 3 aggregationRule *AggregationRule`,
  Subject: `1 kind string!, 2 apiGroup string, 3 name string!, 4 namespace string`,
  RoleRef: `1 apiGroup string!, 2 kind string!, 3 name string!`,
  RoleBinding: `1 metadata ObjectMeta, 2 subjects []Subject, 3 roleRef RoleRef`,
  ClusterRoleBinding: `1 metadata ObjectMeta, 2 subjects []Subject, 3 roleRef RoleRef`,

  ResourceAttributes: `1 namespace string, 2 verb string, 3 group string, 4 version string, 5 resource string,
    6 subresource string, 7 name string, 8 fieldSelector *FieldSelectorAttributes, 9 labelSelector *LabelSelectorAttributes`,
  FieldSelectorAttributes: `1 rawSelector string, 2 requirements []FieldSelectorRequirement`,
  FieldSelectorRequirement: `1 key string!, 2 operator string!, 3 values []string`,
  LabelSelectorAttributes: `1 rawSelector string, 2 requirements []LabelSelectorRequirement`,
  NonResourceAttributes: `1 path string, 2 verb string`,
  SubjectAccessReviewStatus: `1 allowed bool!, 2 reason string, 3 evaluationError string, 4 denied bool`,
  SelfSubjectAccessReviewSpec: `1 resourceAttributes *ResourceAttributes, 2 nonResourceAttributes *NonResourceAttributes`,
  SelfSubjectAccessReview: `1 metadata ObjectMeta, 2 spec SelfSubjectAccessReviewSpec, 3 status SubjectAccessReviewStatus`,
  SubjectAccessReviewSpec: `1 resourceAttributes *ResourceAttributes, 2 nonResourceAttributes *NonResourceAttributes, 3 user string,
    4 groups []string, 6 uid string`,
  SubjectAccessReview: `1 metadata ObjectMeta, 2 spec SubjectAccessReviewSpec, 3 status SubjectAccessReviewStatus`,
  SelfSubjectRulesReviewSpec: `1 namespace string`,
  ResourceRule: `1 verbs []string, 2 apiGroups []string, 3 resources []string, 4 resourceNames []string`,
  NonResourceRule: `1 verbs []string, 2 nonResourceURLs []string`,
  SubjectRulesReviewStatus: `1 resourceRules []ResourceRule, 2 nonResourceRules []NonResourceRule, 3 incomplete bool!, 4 evaluationError string`,
  SelfSubjectRulesReview: `1 metadata ObjectMeta, 2 spec SelfSubjectRulesReviewSpec, 3 status SubjectRulesReviewStatus`,
};
