// Every scenario `npm run bench` runs, in order.
import type { Scenario } from '../scenario.js';
import { startup } from './startup.js';
import { http } from './http.js';
import { client } from './client.js';
import { controllers } from './controllers.js';

export const SCENARIOS: Scenario[] = [startup, http, client, controllers];
