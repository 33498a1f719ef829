// The parts of an apiextensions.k8s.io/v1 CustomResourceDefinition the serving side reads.
import type { KubeObject } from '../../object.js';
import type { JSONSchemaProps } from '../../schema/types.js';
import type { PrinterColumn } from './printer.js';

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CRDNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CRDCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CRD extends KubeObject {
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: CRDNames;
    versions: CRDVersion[];
    conversion?: { strategy?: 'None' | 'Webhook' };
  };
  status?: {
    acceptedNames?: CRDNames;
    storedVersions?: string[];
    conditions?: CRDCondition[];
  };
}

export const CRD_RESOURCE = 'customresourcedefinitions.apiextensions.k8s.io';
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export function conditionOf(crd: CRD, type: string): CRDCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

export function isEstablished(crd: CRD): boolean {
  return conditionOf(crd, 'Established')?.status === 'True';
}

/** The storage key of a CRD's objects: "<plural>.<group>", shared by every version. */
export function customResourceStorage(crd: CRD): string {
  return `${crd.spec.names.plural}.${crd.spec.group}`;
}
