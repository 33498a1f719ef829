// Loading manifests from disk and creating them through the API (`kubesim --load`).
export { loadManifestPaths, parseManifests, ManifestLoadError, type LoadedManifest, type LoadOptions } from './load.js';
export { applyManifests, formatApplyResult, type ApplyAction, type ApplyOptions, type ApplyResult } from './apply.js';
