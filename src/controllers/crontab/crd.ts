// The CronTab CRD of the Kubernetes custom-resource lesson (stable.example.com/v1), as
// test/e2e/testdata/crontab-crd.yaml declares it, with the status this controller writes.
import type { ResourceRef } from '../../clients/interfaces.js';
import type { KubeObject } from '../runtime/types.js';

export const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
export const CRONTABS: ResourceRef = { group: 'stable.example.com', version: 'v1', resource: 'crontabs', namespaced: true };
export const CRONTAB_CRD_NAME = 'crontabs.stable.example.com';

export const CRONTAB_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: CRONTAB_CRD_NAME },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
        },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec', description: 'The cron spec defining the interval a CronJob is run' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                description: 'The desired state of the CronTab.',
                required: ['image'],
                properties: {
                  cronSpec: {
                    type: 'string',
                    description: 'The cron schedule, five fields as in crontab(5).',
                    pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$',
                  },
                  image: { type: 'string', description: 'The container image the CronTab runs.' },
                  replicas: { type: 'integer', description: 'How many copies to run.', minimum: 1, default: 1 },
                },
              },
              status: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer' },
                  observedGeneration: { type: 'integer', description: 'The metadata.generation the controller last acted on.' },
                  jobName: { type: 'string', description: 'The Job running this CronTab.' },
                  active: { type: 'integer', description: "The Job's active pods." },
                  succeeded: { type: 'integer', description: "The Job's succeeded pods." },
                  conditions: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['type', 'status'],
                      properties: {
                        type: { type: 'string' },
                        status: { type: 'string' },
                        reason: { type: 'string' },
                        message: { type: 'string' },
                        lastTransitionTime: { type: 'string', format: 'date-time' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};
