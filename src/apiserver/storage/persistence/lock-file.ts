// One server per data dir: a LOCK file holding the owner's pid, created exclusively. A lock
// left by a process that no longer runs (kill -9, a power cut) is taken over with a warning;
// one held by a live process, this one included, refuses the start (etcd holds a flock on its
// WAL for the same reason).
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dir: string, warn: (message: string) => void): DataDirLock {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid} ${hostname()}\n`);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const [pidText, host] = readLock(path).split(/\s+/);
    const pid = Number(pidText);
    const sameHost = host === undefined || host === hostname();
    if (Number.isInteger(pid) && pid > 0 && (!sameHost || isAlive(pid))) {
      throw new DataDirLockedError(
        `the data dir ${dir} is in use by another kubesim (pid ${pid}${sameHost ? '' : ` on ${host}`}); ` +
          `stop it first, or remove ${path} if no kubesim runs there`,
      );
    }
    warn(`kubesim: taking over the lock of ${dir} left by pid ${pidText || '?'}, which no longer runs`);
    rmSync(path, { force: true });
  }
}

function readLock(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
