// core/v1 Event (k8s.io/kubernetes pkg/registry/core/event): only the legacy checks apply to
// this version, for backward compatibility, so even metadata.name is only checked as a path
// segment. An update may create the Event (AllowCreateOnUpdate), as event recorders rely on.
import type { KubeObject } from '../../../object.js';
import type { FieldGetter, ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, str } from '../fields.js';
import { coreEventView, eventPrinter, legacyValidateEvent } from './event-common.js';

const involved = (field: string) => (ev: KubeObject): string => str(asObj(ev.involvedObject)?.[field]);

/** The field labels core/v1 Events select on; events.k8s.io/v1 maps its own labels onto these. */
export const CORE_EVENT_FIELDS: Record<string, FieldGetter> = {
  'involvedObject.kind': involved('kind'),
  'involvedObject.namespace': involved('namespace'),
  'involvedObject.name': involved('name'),
  'involvedObject.uid': involved('uid'),
  'involvedObject.apiVersion': involved('apiVersion'),
  'involvedObject.resourceVersion': involved('resourceVersion'),
  'involvedObject.fieldPath': involved('fieldPath'),
  reason: (ev) => str(ev.reason),
  reportingComponent: (ev) => str(ev.reportingComponent),
  // The source component, or the reporting controller of a new-style event.
  source: (ev) => str(asObj(ev.source)?.component) || str(ev.reportingComponent),
  type: (ev) => str(ev.type),
};

export function coreEventsResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    singularName: 'event',
    shortNames: ['ev'],
    namespaced: true,
    nameValidation: 'path',
    openAPIDefinition: 'io.k8s.api.core.v1.Event',
    strategy: {
      allowCreateOnUpdate: true,
      // eventStrategy.DefaultGarbageCollectionPolicy: Events never carry orphan / foregroundDeletion.
      defaultGarbageCollectionPolicy: 'Unsupported',
      validate: (ev) => legacyValidateEvent(coreEventView(ev), 'reportingComponent'),
      validateUpdate: (ev) => legacyValidateEvent(coreEventView(ev), 'reportingComponent'),
    },
    fieldSelectors: CORE_EVENT_FIELDS,
    printer: eventPrinter(coreEventView),
  });
}
