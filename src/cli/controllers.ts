// `kubesim controllers`: the same controllers `serve` runs in-process, run out of process
// against whatever API server a kubeconfig names (a kubesim started with --controllers none,
// or a real cluster), through the HTTP client.
import type { ControllersFlags } from './args.js';
import type { CliIO } from './io.js';
import { processSignals } from './serve.js';

export async function controllersCommand(flags: ControllersFlags, io: CliIO): Promise<number> {
  const [{ loadKubeconfig }, { HttpClient }, { startControllers }, { realClock }] = await Promise.all([
    import('../clients/kubeconfig-loader.js'),
    import('../clients/http.js'),
    import('../controllers/index.js'),
    import('../controllers/runtime/clock.js'),
  ]);
  const signals = processSignals();
  try {
    let config;
    try {
      config = await loadKubeconfig({ path: flags.kubeconfig, context: flags.context });
    } catch (err) {
      io.err(`kubesim controllers: ${(err as Error).message}`);
      return 1;
    }
    const client = new HttpClient(config, { userAgent: 'kubesim-controllers' });
    let running;
    try {
      running = await startControllers({ client, clock: realClock, which: flags.only ?? 'all', nodes: flags.nodes });
    } catch (err) {
      io.err(`kubesim controllers: ${(err as Error).message}`);
      client.close();
      return 1;
    }
    io.out(`kubesim controllers running against ${config.server}: ${running.names.join(', ') || '(none)'}`);
    io.out('Press Ctrl+C to stop.');
    // Controllers may have nothing in flight (none selected, all idle): stay up until told.
    const keepAlive = setInterval(() => {}, 1 << 30);
    await signals.next;
    clearInterval(keepAlive);
    await running.stop();
    client.close();
    return 0;
  } finally {
    signals.dispose();
  }
}
