// Starts a bench server (an entry that prints `listening on PORT`) in a child process, so the
// load generator and the server under test do not share an event loop; stop() kills it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface ChildServer {
  url: string;
  stop(): Promise<void>;
}

export async function startChildServer(options: { entry: string }): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${options.entry} did not start in 60s:\n${out}`)), 60_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /listening on (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.entry} exited (${code}) before it served:\n${out}`));
      });
    });
    return { url: `http://127.0.0.1:${port}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
