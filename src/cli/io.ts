// Where the CLI writes and what it reads from its environment; injected so tests can
// capture output and point HOME and the working directory at temp folders.
import { homedir } from 'node:os';

export interface CliIO {
  /** One line to stdout (banner, load report). */
  out(line: string): void;
  /** One line to stderr (errors). */
  err(line: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function processIO(): CliIO {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    env: process.env,
    home: homedir(),
  };
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
