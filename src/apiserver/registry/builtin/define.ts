// Builds a ResourceType with the settings every built-in kind shares, so each kind's file
// states only what is particular to it.
import { ALL_VERBS, type ResourceType } from '../strategy.js';

type Definition = Omit<ResourceType, 'verbs' | 'listKind'> & Partial<Pick<ResourceType, 'verbs' | 'listKind'>>;

export function defineResource(def: Definition): ResourceType {
  return {
    ...def,
    listKind: def.listKind ?? `${def.kind}List`,
    verbs: def.verbs ?? ALL_VERBS,
    // Every built-in kind accepts an update without metadata.resourceVersion (AllowUnconditionalUpdate).
    strategy: { allowUnconditionalUpdate: true, ...def.strategy },
  };
}
