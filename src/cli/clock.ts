// `kubesim clock [advance DURATION]`: shows or moves the clock of a running kubesim, found
// through a kubeconfig (--kubeconfig, $KUBECONFIG, or ./.kubesim/kubeconfig as `serve` writes it).
import { resolve } from 'node:path';
import { loadKubeconfig } from '../clients/kubeconfig-loader.js';
import type { ClockFlags } from './args.js';
import type { CliIO } from './io.js';
import { DEFAULT_KUBECONFIG } from './serve.js';

export async function clockCommand(flags: ClockFlags, io: CliIO): Promise<number> {
  // --kubeconfig, else $KUBECONFIG (merged as kubectl merges it), else the file `serve` writes.
  const path = flags.kubeconfig !== undefined || !process.env.KUBECONFIG ? resolve(io.cwd, flags.kubeconfig ?? DEFAULT_KUBECONFIG) : undefined;
  let server: string;
  try {
    server = (await loadKubeconfig({ path })).server.replace(/\/+$/, '');
  } catch (err) {
    io.err(`kubesim clock: cannot read ${path ?? process.env.KUBECONFIG}: ${(err as Error).message}`);
    return 1;
  }
  const url = flags.advance === undefined ? `${server}/kubesim/clock` : `${server}/kubesim/clock/advance?by=${encodeURIComponent(flags.advance)}`;
  let res: Response;
  try {
    res = await fetch(url, { method: flags.advance === undefined ? 'GET' : 'POST' });
  } catch (err) {
    io.err(`kubesim clock: no kubesim answers at ${server}: ${(err as Error).message}`);
    return 1;
  }
  const body = (await res.json()) as { now?: string; virtual?: boolean; message?: string };
  if (!res.ok) {
    io.err(`kubesim clock: ${body.message ?? res.statusText}`);
    return 1;
  }
  io.out(`${body.now}${body.virtual ? ' (virtual)' : ''}`);
  return 0;
}
