// `kubesim controllers`: the same controllers `serve` runs in-process, run out of process
// against whatever API server a kubeconfig names (a kubesim started with --controllers none,
// or a real cluster), through the HTTP client. Against a kubesim on a virtual clock they follow
// that clock, so `kubesim clock advance 1h` moves them as it moves in-process controllers.
import type { ControllersFlags } from './args.js';
import type { CliIO } from './io.js';
import { processSignals } from './serve.js';

export async function controllersCommand(flags: ControllersFlags, io: CliIO): Promise<number> {
  const [{ loadKubeconfig }, { httpTransport }, { RestClient }, { countingTransport }, { startControllers }, { realClock }, { ClockFollower }] = await Promise.all([
    import('../clients/kubeconfig-loader.js'),
    import('../clients/http.js'),
    import('../clients/rest-client.js'),
    import('../clients/transport.js'),
    import('../controllers/index.js'),
    import('../controllers/runtime/clock.js'),
    import('../controllers/runtime/clock-follower.js'),
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
    const http = httpTransport(config);
    // Unfinished requests tell a clock follower the controllers are still reacting to a step.
    const transport = countingTransport(http);
    const client = new RestClient(transport, { userAgent: 'kubesim-controllers' });
    const onError = (err: unknown) => io.err(`kubesim controllers: ${(err as Error)?.message ?? err}`);
    let follower;
    let running;
    try {
      follower = await ClockFollower.connect({ transport: http, busy: () => transport.inFlight() > 0, onError });
      running = await startControllers({ client, clock: follower?.clock ?? realClock, which: flags.only ?? 'all', nodes: flags.nodes, onError });
    } catch (err) {
      io.err(`kubesim controllers: ${(err as Error).message}`);
      follower?.stop();
      client.close();
      return 1;
    }
    io.out(`kubesim controllers running against ${config.server}: ${running.names.join(', ') || '(none)'}`);
    if (follower) io.out(`Following the cluster's virtual clock (now ${follower.clock.now().toISOString()}).`);
    io.out('Press Ctrl+C to stop.');
    // Controllers may have nothing in flight (none selected, all idle): stay up until told.
    const keepAlive = setInterval(() => {}, 1 << 30);
    await signals.next;
    clearInterval(keepAlive);
    await running.stop();
    follower?.stop();
    client.close();
    return 0;
  } finally {
    signals.dispose();
  }
}
