import { describe, expect, it } from 'vitest';
import { negotiateOutput } from '../../../src/apiserver/endpoints/negotiation.js';
import { aggregatedDiscoveryVersion } from '../../../src/apiserver/endpoints/discovery.js';
import { decodeContinue, encodeContinue } from '../../../src/apiserver/endpoints/handlers/continue-token.js';

describe('negotiateOutput', () => {
  const cases: [string | undefined, boolean, unknown][] = [
    [undefined, false, { as: 'object' }],
    ['application/json', true, { as: 'object' }],
    ['*/*', true, { as: 'object' }],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', true, { as: 'Table', version: 'v1' }],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io', false, { as: 'Table', version: 'v1beta1' }],
    ['application/vnd.kubernetes.protobuf, application/json', false, { as: 'object' }],
    ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', true, { as: 'PartialObjectMetadataList', version: 'v1' }],
    ['application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io', false, { as: 'PartialObjectMetadata', version: 'v1' }],
  ];
  it.each(cases)('%s (list=%s)', (accept, isList, want) => {
    expect(negotiateOutput(accept, isList)).toEqual(want);
  });
  it('answers 406 when nothing acceptable is offered', () => {
    expect(() => negotiateOutput('text/html', false)).toThrow(/only the following media types are accepted/);
    expect(() => negotiateOutput('application/json;as=Table;v=v9;g=meta.k8s.io', false)).toThrow();
  });
});

describe('aggregatedDiscoveryVersion', () => {
  it.each([
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'v2'],
    ['application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', 'v2beta1'],
    ['application/json', undefined],
    [undefined, undefined],
  ])('%s', (accept, want) => expect(aggregatedDiscoveryVersion(accept)).toBe(want));
});

describe('continue tokens', () => {
  it('round-trip the key and resourceVersion', () => {
    expect(decodeContinue(encodeContinue('ns/name', 42))).toEqual({ startAfterKey: 'ns/name', resourceVersion: 42 });
  });
  it.each(['', 'garbage', Buffer.from('{"v":"x"}').toString('base64'), Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64')])(
    'rejects %j with 400',
    (tok) => expect(() => decodeContinue(tok)).toThrow(/continue key is not valid/),
  );
});
