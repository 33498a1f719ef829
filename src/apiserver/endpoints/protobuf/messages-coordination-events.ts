// Protobuf field tables (notation in messages.ts) for k8s.io/api coordination/v1 Lease and
// events/v1 Event (named events.Event and events.EventSeries beside core/v1's Event).
// Field numbers from the package's generated.proto; JSON names, pointers and omitempty from the
// json tags and field types of its types.go, in the Go struct's field order.
import type { MessageSources } from './messages.js';

export const coordinationEventsMessages: MessageSources = {
  'events.Event': `1 metadata ObjectMeta, 2 eventTime MicroTime, 3 series *events.EventSeries,
    4 reportingController string, 5 reportingInstance string, 6 action string, 7 reason string,
    8 regarding ObjectReference, 9 related *ObjectReference, 10 note string, 11 type string,
    12 deprecatedSource EventSource, 13 deprecatedFirstTimestamp Time, 14 deprecatedLastTimestamp Time,
    15 deprecatedCount int32`,
  'events.EventSeries': `1 count int32!, 2 lastObservedTime MicroTime`,
  Lease: `1 metadata ObjectMeta, 2 spec LeaseSpec`,
  LeaseSpec: `1 holderIdentity *string, 2 leaseDurationSeconds *int32, 3 acquireTime *MicroTime,
    4 renewTime *MicroTime, 5 leaseTransitions *int32, 6 strategy *string, 7 preferredHolder *string`,
};
