/**
 * argv -> command; maps the outcome to a documented exit code (see EXIT in core/errors.ts).
 * Each command lives in src/commands/<name>.ts.
 */
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
    if (err instanceof UserError) {
      process.stderr.write(`qualbench: ${err.format()}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`qualbench: internal error (a bug; please report it)\n${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.bug;
    }
  }
}

if (import.meta.main) await main(process.argv.slice(2));
