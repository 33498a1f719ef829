// Every scenario `npm run bench` runs, in order.
import type { Scenario } from '../scenario.js';
import { startup } from './startup.js';
import { http } from './http.js';
import { client } from './client.js';
import { watch } from './watch.js';
import { selectors } from './selectors.js';
import { memory } from './memory.js';
import { controllers } from './controllers.js';
import { crd } from './crd.js';

export const SCENARIOS: Scenario[] = [startup, http, client, watch, selectors, memory, controllers, crd];
