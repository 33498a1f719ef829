// Every scenario `npm run bench` runs, in order.
import type { Scenario } from '../scenario.js';
import { startup } from './startup.js';

export const SCENARIOS: Scenario[] = [startup];
