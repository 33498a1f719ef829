// Wires the CronTab controller (the custom controller of the CRD lesson): installs the CronTab
// CRD if absent, waits for it to be Established and served, then for(CronTab).owns(Job).
import { isAlreadyExists, type Client } from '../../clients/interfaces.js';
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import type { KubeObject } from '../runtime/types.js';
import { CRDS, CRONTAB_CRD, CRONTAB_CRD_NAME, CRONTABS } from './crd.js';
import { JOBS } from './job.js';
import { CronTabReconciler } from './reconciler.js';

/** How long setup waits (real time) for the CRD to be Established and served. */
export const ESTABLISH_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

export const cronTabController: ControllerDefinition = {
  name: 'crontab',
  async setup(ctx) {
    await installCronTabCRD(ctx.client);
    const reconciler = new CronTabReconciler({ client: ctx.client, clock: ctx.clock, recorder: ctx.recorder('crontab-controller') });
    controllerFor(CRONTABS, { kind: 'CronTab' }).owns(JOBS).withReconciler(reconciler).build({ name: 'crontab', manager: ctx.manager });
  },
};

/** Create the CronTab CRD unless it exists, and wait until it is Established and its resource answers. */
export async function installCronTabCRD(client: Client, timeoutMs = ESTABLISH_TIMEOUT_MS): Promise<void> {
  try {
    await client.create(CRDS, structuredClone(CRONTAB_CRD));
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  // Real time on purpose: the API server establishes CRDs on its own, not on the controllers' clock.
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  // In-process the CRD is served a few turns of the event loop after it is created (the CRD
  // controller writes its status, then serves it): look again on the next turns first, then
  // back off, so a cluster's start does not wait out a polling interval.
  let turns = 4;
  let delay = 1;
  for (;;) {
    try {
      const crd = await client.get(CRDS, CRONTAB_CRD_NAME);
      if (isEstablished(crd)) {
        await client.list(CRONTABS, { limit: 1 }); // served, so the informer's first list succeeds
        return;
      }
      last = new Error('not Established yet');
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`CRD ${CRONTAB_CRD_NAME} not Established after ${timeoutMs}ms: ${String(last)}`);
    if (turns-- > 0) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(POLL_MS, delay * 2);
  }
}

export function isEstablished(crd: KubeObject): boolean {
  const conditions = ((crd.status ?? {}) as { conditions?: { type?: string; status?: string }[] }).conditions ?? [];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}
