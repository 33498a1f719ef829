// Shapes a handler's result for the negotiated media type: the object itself, a Table, or
// PartialObjectMetadata.
import type { KubeObject } from '../../object.js';
import { negotiateOutput } from '../negotiation.js';
import type { ApiRequest } from '../request.js';
import { includeObjectOf, partialObjectMetadata, toTable } from '../table.js';

export function outputObject(r: ApiRequest, obj: KubeObject): unknown {
  const target = negotiateOutput(r.headers.accept, false);
  switch (target.as) {
    case 'object':
      return obj;
    case 'Table':
      return toTable(r.rt, [obj], r.ctx.clock.now().getTime(), {
        include: includeObjectOf(r.query),
        version: target.version,
        listMeta: { resourceVersion: obj.metadata.resourceVersion },
      });
    case 'PartialObjectMetadata':
      return partialObjectMetadata(obj, target.version);
    default:
      return obj;
  }
}
