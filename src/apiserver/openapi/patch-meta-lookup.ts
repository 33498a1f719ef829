// Strategic-merge-patch metadata of a built-in kind, read from the same OpenAPI definitions
// /openapi/v3 publishes (as kube-apiserver's patch handler reads it from its OpenAPI models).
import { NO_PATCH_META, patchMetaFromOpenAPI, type PatchMeta } from '../patch/patch-meta.js';
import { builtinDefinitions } from './definitions.js';

/** The PatchMeta of a definition ("io.k8s.api.apps.v1.Deployment"), or undefined if it is not built in. */
export function builtinPatchMeta(definition: string): PatchMeta | undefined {
  if (!(definition in builtinDefinitions)) return undefined;
  const meta = patchMetaFromOpenAPI(builtinDefinitions, definition);
  return meta === NO_PATCH_META ? undefined : meta;
}
