import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../core/records.ts';
import { UserError } from '../core/errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take the run directory's lock (`.lock`, holding our pid), so two evals never write one run.
 * A lock left by a dead process (SIGKILL) is taken over. Returns the release function.
 */
export function lockRunDir(runDir: string): () => void {
  const file = join(runDir, RUN_FILES.lock);
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserError(`cannot write the run directory (${(e as NodeJS.ErrnoException).code})`, { file: runDir, hint: 'Check that the folder is writable and the disk is not full.' });
      }
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new UserError(`another qualbench process (pid ${pid}) is writing this run`, {
          file: runDir,
          hint: 'Wait for it to finish, or stop it; two writers would duplicate requests.',
        });
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new UserError('could not take the run lock', { file: runDir });
}
