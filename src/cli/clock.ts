// `kubesim clock [advance DURATION]`: shows or moves the clock of a running kubesim, found
// through a kubeconfig (--kubeconfig, $KUBECONFIG, or ./.kubesim/kubeconfig as `serve` writes it).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { ClockFlags } from './args.js';
import type { CliIO } from './io.js';
import { DEFAULT_KUBECONFIG } from './serve.js';

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string } }[];
  clusters?: { name: string; cluster?: { server?: string } }[];
}

async function serverOf(path: string): Promise<string> {
  const config = parse(await readFile(path, 'utf8')) as KubeconfigFile;
  const context = config.contexts?.find((c) => c.name === config['current-context'])?.context;
  const server = config.clusters?.find((c) => c.name === context?.cluster)?.cluster?.server;
  if (!server) throw new Error(`${path} names no server for its current context`);
  return server.replace(/\/+$/, '');
}

export async function clockCommand(flags: ClockFlags, io: CliIO): Promise<number> {
  const path = resolve(io.cwd, flags.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? DEFAULT_KUBECONFIG);
  let server: string;
  try {
    server = await serverOf(path);
  } catch (err) {
    io.err(`kubesim clock: cannot read ${path}: ${(err as Error).message}`);
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
