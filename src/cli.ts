/**
 * argv -> command; maps the outcome to a documented exit code (see EXIT in core/errors.ts).
 * Each command lives in src/commands/<name>.ts.
 */
import { relative } from 'node:path';
import { EXIT, UserError } from './core/errors.ts';
import { qualbenchVersion } from './pipeline.ts';
import { cmdEval } from './commands/eval.ts';
import { cmdDemo } from './commands/demo.ts';
import { cmdRescore } from './commands/rescore.ts';
import { cmdPrompts } from './commands/prompts.ts';
import { cmdDatasets } from './commands/datasets.ts';
import { cmdSim } from './commands/sim.ts';
import { cmdImport } from './commands/import.ts';
import { cmdExportBatch } from './commands/export-batch.ts';
import { cmdWatch } from './commands/watch.ts';
import { cmdGate } from './commands/gate.ts';
import { cmdBaseline } from './commands/baseline.ts';
import { cmdCompare } from './commands/compare.ts';
import { cmdReport } from './commands/report.ts';
import { cmdBatch } from './commands/batch.ts';
import { cmdInit } from './commands/init.ts';
import { commandHelp, help } from './commands/help.ts';

/** Every command, by name. A command returns its exit code (or -1 to keep the process running). */
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  eval: cmdEval,
  demo: cmdDemo,
  rescore: cmdRescore,
  sim: cmdSim,
  prompts: cmdPrompts,
  datasets: cmdDatasets,
  import: cmdImport,
  'export-batch': cmdExportBatch,
  watch: cmdWatch,
  gate: cmdGate,
  baseline: cmdBaseline,
  compare: cmdCompare,
  report: cmdReport,
  batch: cmdBatch,
  init: cmdInit,
};

export async function runCli(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') return help();
  if (cmd === '--version') {
    process.stdout.write(qualbenchVersion() + '\n');
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!command) throw new UserError(`unknown command \`${cmd}\``, { hint: `Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`qualbench --help\` for usage.` });
  // `--help` anywhere before `--` answers with the command's usage (sim and init print their own).
  const beforeDashes = rest.indexOf('--') === -1 ? rest : rest.slice(0, rest.indexOf('--'));
  if ((beforeDashes.includes('--help') || beforeDashes.includes('-h')) && cmd !== 'sim' && cmd !== 'init') return commandHelp(cmd);
  return command(rest);
}

/** Run the CLI and set the process exit code. Used by bin/qualbench.js and `node src/cli.ts`. */
export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`qualbench compare a b | head`) closes the pipe: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  try {
    const code = await runCli(argv);
    if (code >= 0) process.exitCode = code;
  } catch (err) {
    const fsError = asFileSystemError(err);
    if (err instanceof UserError) {
      process.stderr.write(`qualbench: ${err.format()}\n`);
      process.exitCode = err.exitCode;
    } else if (fsError) {
      // The disk or the file system said no (full, read-only, not permitted, a file where a folder
      // belongs): the user's to fix, not a bug. Nothing recorded before it is lost; runs resume.
      process.stderr.write(`qualbench: ${fsError}\n`);
      process.exitCode = EXIT.aborted;
    } else {
      process.stderr.write(`qualbench: internal error (a bug; please report it)\n${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.bug;
    }
  }
}

const FS_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'it is a symbolic link (qualbench does not follow links inside run directories and stores)',
  EMFILE: 'too many open files',
};

/** "cannot write runs/x/report.md: the file system is read-only (EROFS)" for an error from the file system, else null. */
function asFileSystemError(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException | null;
  const what = e && typeof e.code === 'string' ? FS_ERRORS[e.code] : undefined;
  if (!e || !what) return null;
  const verb = e.syscall === 'open' || e.syscall === 'write' || e.syscall === 'rename' || e.syscall === 'mkdir' ? 'cannot write' : `cannot ${e.syscall ?? 'use'}`;
  const where = e.path ? ` ${relative(process.cwd(), e.path) || e.path}` : '';
  return `${verb}${where}: ${what} (${e.code})\n  Free space or fix the permissions, then run the command again; a run continues with --resume, and everything recorded so far is kept.`;
}

if (import.meta.main) await main(process.argv.slice(2));
