/** What every command shares: option parsing with clear messages, progress, interrupts, outcomes. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RUN_FILES, type SpeedValidity } from '../core/records.ts';
import { EXIT, UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { chooseProgressMode, createProgress } from '../progress.ts';
import type { EvalOutcome } from '../pipeline.ts';

export const EVAL_OPTIONS = {
  eval: { type: 'string' },
  model: { type: 'string', multiple: true },
  sample: { type: 'string' },
  concurrency: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  store: { type: 'string' },
  'base-url': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'max-attempts': { type: 'string' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  speed: { type: 'string' },
  ci: { type: 'boolean' },
  baseline: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true as const });
  } catch (e) {
    throw new UserError((e as Error).message, { hint: 'Run `qualbench --help` for usage.' });
  }
}

/** `--concurrency N` or `--concurrency auto`. */
export function concurrencyOption(value: string | undefined): number | 'auto' | undefined {
  return value === 'auto' ? 'auto' : intOption('concurrency', value);
}

/** "Expected `--sample` to be a whole number from 1 up, got `abc`" */
export function intOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UserError(`Expected \`--${name}\` to be a whole number from ${min} up, got \`${value}\``, { field: `--${name}` });
  }
  return n;
}

export interface Io {
  root: string;
  quiet: boolean;
  json: boolean;
}

export function makeProgress(io: Io) {
  const env = readEnv();
  return createProgress(chooseProgressMode({ quiet: io.quiet, ci: env.ci, isTTY: Boolean(process.stderr.isTTY) }));
}

/** Ctrl-C once: stop sending, let requests in flight finish, keep the run resumable. Twice: exit now. */
export function interruptible(onFirst: () => void): () => void {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) {
      process.stderr.write('\nInterrupted: finishing requests in flight (Ctrl-C again to exit now; the run stays resumable)\n');
      onFirst();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** The run's speed validity from its summary.json; null when there is none (interrupted) or it does not say. */
function readSpeedValidity(runDir: string): SpeedValidity | null {
  try {
    const summary = JSON.parse(readFileSync(join(runDir, RUN_FILES.summary), 'utf8')) as { speed_validity?: SpeedValidity };
    return summary.speed_validity ?? null;
  } catch {
    return null;
  }
}

/** The first lines of a finished run's output: whether its speed figures can be trusted. */
export function speedValidityLines(v: SpeedValidity): string {
  if (v.valid) return 'Speed figures: valid.\n';
  return `Speed figures: INVALID (throughput, latency, cost per usable result and hours cannot be trusted):\n${v.reasons.map((r) => `  - ${r}\n`).join('')}`;
}

export function reportOutcome(io: Io, outcome: EvalOutcome, label = 'eval'): number {
  const rel = relative(process.cwd(), outcome.runDir) || '.';
  const validity = outcome.interrupted ? null : readSpeedValidity(outcome.runDir);
  if (io.json) {
    process.stdout.write(
      JSON.stringify({
        event: `${label}-${outcome.interrupted ? 'interrupted' : 'done'}`,
        ...(validity ? { speed_valid: validity.valid, speed_invalid_reasons: validity.reasons } : {}),
        run_dir: outcome.runDir,
        sent: outcome.sent,
        cached: outcome.cached,
      }) + '\n',
    );
  } else if (outcome.interrupted) {
    process.stderr.write(`Run interrupted. Resume with: qualbench eval --resume ${rel}\n`);
  } else {
    process.stdout.write(
      `${validity ? speedValidityLines(validity) : ''}${outcome.sent} requests sent, ${outcome.cached} answered from the store.\nReport: ${join(rel, 'report.md')}\nHTML:    ${join(rel, 'report.html')}\nSummary: ${join(rel, 'summary.json')}\n`,
    );
  }
  return outcome.interrupted ? EXIT.aborted : EXIT.ok;
}
