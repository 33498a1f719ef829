// GET of one object (k8s.io/apiserver pkg/endpoints/handlers/get.go).
import type { ApiRequest, ApiResponse } from '../request.js';
import { outputObject } from './output.js';

export function getHandler(r: ApiRequest): ApiResponse {
  const obj = r.store.get(r.info.namespace, r.info.name);
  return { code: 200, body: outputObject(r, obj) };
}
