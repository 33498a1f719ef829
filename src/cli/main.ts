// Entry point of the `kubesim` command (bin/kubesim.js calls main). Returns the exit code:
// 0 done, 1 failed, 2 bad usage; printing help and errors happens here.
import { parseCliArgs, USAGE, UsageError } from './args.js';
import { processIO, type CliIO } from './io.js';
import { packageVersion } from './version.js';

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let parsed;
  try {
    parsed = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`kubesim: ${err.message}`);
    io.err('');
    io.err(USAGE.trimEnd());
    return 2;
  }
  switch (parsed.command) {
    case 'help':
      io.out(USAGE.trimEnd());
      return 0;
    case 'version':
      io.out(packageVersion());
      return 0;
    case 'controllers': {
      const { controllersCommand } = await import('./controllers.js');
      return controllersCommand(parsed.flags, io);
    }
    case 'clock': {
      const { clockCommand } = await import('./clock.js');
      return clockCommand(parsed.flags, io);
    }
    case 'snapshot': {
      const { snapshotCommand } = await import('./snapshot.js');
      return snapshotCommand(parsed.flags, io);
    }
    case 'serve': {
      const { serve } = await import('./serve.js');
      return serve(parsed.flags, io);
    }
  }
}
