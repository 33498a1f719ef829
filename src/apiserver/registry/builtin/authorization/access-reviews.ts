// authorization.k8s.io/v1 SubjectAccessReview, LocalSubjectAccessReview,
// SelfSubjectAccessReview and SelfSubjectRulesReview: create-only, never stored (kube's
// pkg/registry/authorization). The answer is computed by the access-review handler.
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

function review(kind: string, resource: string, namespaced: boolean): ResourceType {
  return defineResource({
    group: AUTHORIZATION_GROUP,
    version: 'v1',
    resource,
    kind,
    singularName: resource.replace(/s$/, ''),
    namespaced,
    verbs: ['create'],
    openAPIDefinition: `io.k8s.api.authorization.v1.${kind}`,
    strategy: {},
  });
}

export function accessReviewResources(): ResourceType[] {
  return [
    review('LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
    review('SelfSubjectAccessReview', 'selfsubjectaccessreviews', false),
    review('SelfSubjectRulesReview', 'selfsubjectrulesreviews', false),
    review('SubjectAccessReview', 'subjectaccessreviews', false),
  ];
}
