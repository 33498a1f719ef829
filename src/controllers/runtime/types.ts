// The object shapes the runtime reads. Kept in one place so that, if src/clients/interfaces.ts
// starts re-exporting them, only this file changes (controllers depend on the client API only).
export type { KubeObject, KubeList, OwnerReference } from '../../apiserver/object.js';
