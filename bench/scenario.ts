// A benchmark scenario: a name `npm run bench -- --only NAME` and `--profile NAME` pick it by,
// and a run that returns its figures. `quick` is the smoke run inside `npm test`: tiny sizes,
// every figure still produced, so the benchmark cannot rot; its numbers mean nothing.
import type { Figure } from './figures.js';

export interface BenchContext {
  quick: boolean;
  /** Progress for the person waiting (stderr); the table goes to stdout at the end. */
  log(message: string): void;
}

export interface Scenario {
  name: string;
  /** One line for `npm run bench -- --help`. */
  description: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}
