/** What every command shares: option parsing with clear messages, progress, interrupts, outcomes. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RUN_FILES, type SpeedValidity } from '../core/records.ts';
import { cliCommand } from '../core/package-files.ts';
import { EXIT, UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { chooseProgressMode, createProgress } from '../progress.ts';
import type { EvalOutcome } from '../pipeline.ts';
import { gpuTimeoutShare } from '../aggregate/trust.ts';

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
  'retry-errors': { type: 'boolean' },
  'max-error-rate': { type: 'string' },
  'allow-partial': { type: 'boolean' },
  sequential: { type: 'boolean' },
  looks: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true as const });
  } catch (e) {
    const message = (e as Error).message;
    // `--concurrency -4`: Node reads -4 as another option and calls the argument ambiguous.
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(message);
    if (ambiguous) {
      const name = ambiguous[1]!;
      const value = argv[argv.indexOf(name) + 1] ?? '';
      throw new UserError(`\`${name} ${value}\`: a value that starts with "-" is read as another option`, { field: name, hint: `Write \`${name}=${value}\` if you meant it (it must still be a valid value). Run \`qualbench --help\` for usage.` });
    }
    throw new UserError(message, { hint: 'Run `qualbench --help` for usage.' });
  }
}

/** `--concurrency N` or `--concurrency auto`. */
export function concurrencyOption(value: string | undefined): number | 'auto' | undefined {
  return value === 'auto' ? 'auto' : intOption('concurrency', value);
}

/** "Expected `--sample` to be a whole number from 1 up, got `abc`" */
export function intOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  // Digits only: Number() would also take `1e3`, `0x10`, ` 7 ` and `1_000`-like surprises.
  const n = /^[0-9]{1,15}$/.test(value.trim()) ? Number(value.trim()) : NaN;
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

/**
 * A group (model x prompt version) whose share of failed requests is above this makes the run fail
 * with exit 4 (EXIT.untrusted): its rates would be over a minority or a biased part of the items.
 * 10%: above it, the unanswered items alone can move a rate by more than the 5-point margins the
 * gates use. `--max-error-rate` changes it.
 */
export const DEFAULT_MAX_ERROR_RATE = 0.1;

/** `--max-error-rate R`, a share in [0, 1]. */
export function rateOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new UserError(`Expected \`--${name}\` to be a share from 0 to 1 (0.1 = 10%), got \`${value}\``, { field: `--${name}` });
  return n;
}

/**
 * `gpuTimeoutsFail: false` (the demo, unless --max-error-rate is given): requests that would have timed out on
 * the modelled GPU are warned about (report and stderr) but do not fail the run.
 */
export function reportOutcome(io: Io, outcome: EvalOutcome, label = 'eval', maxErrorRate = DEFAULT_MAX_ERROR_RATE, opts: { gpuTimeoutsFail?: boolean } = {}): number {
  const rel = relative(process.cwd(), outcome.runDir) || '.';
  const trust = outcome.trust;
  const failing = (trust?.groups ?? []).filter((g) => g.expected > 0 && g.errored / g.expected > maxErrorRate);
  // Against the simulator: answers that arrived only because simulated time runs faster than real time count like failures.
  const gpuFailing = opts.gpuTimeoutsFail === false ? [] : (trust?.groups ?? []).filter((g) => !failing.includes(g) && gpuTimeoutShare(g) > maxErrorRate);
  failing.push(...gpuFailing);
  const code = outcome.interrupted ? EXIT.aborted : failing.length > 0 ? EXIT.untrusted : EXIT.ok;
  const validity = outcome.interrupted ? null : readSpeedValidity(outcome.runDir);
  if (io.json) {
    process.stdout.write(
      JSON.stringify({
        event: `${label}-${outcome.interrupted ? 'interrupted' : failing.length ? 'failed' : 'done'}`,
        ...(validity ? { speed_valid: validity.valid, speed_invalid_reasons: validity.reasons } : {}),
        run_dir: outcome.runDir,
        sent: outcome.sent,
        cached: outcome.cached,
        ...(trust ? { complete: trust.complete, errored: trust.errored, missing: trust.missing, warnings: trust.warnings } : {}),
        ...(failing.length ? { failed_groups: failing.map((g) => ({ model: g.model, prompt_version: g.prompt_version, errored: g.errored, expected: g.expected, first_error: g.first_error, ...(gpuFailing.includes(g) ? { gpu_timeouts: g.gpu_timeouts } : {}) })) } : {}),
      }) + '\n',
    );
  }
  if (outcome.interrupted) {
    if (!io.json) process.stderr.write(`Run interrupted. Resume with: ${cliCommand()} eval --resume ${rel}\n`);
    return code;
  }
  if (failing.length) {
    // Said even with --quiet: a run where nothing worked must not look like a finished one.
    process.stderr.write(
      [
        `RUN FAILED (exit ${EXIT.untrusted}): in ${failing.length} group(s) more than ${Math.round(maxErrorRate * 100)}% of requests ended in an error${gpuFailing.length ? ' or would have timed out on the modelled GPU' : ''}, so their figures mean nothing:`,
        ...failing.map((g) =>
          gpuFailing.includes(g)
            ? `  ${g.model} ${g.prompt_version}: ${g.gpu_timeouts!.over} of ${g.gpu_timeouts!.measured} took longer than the ${g.gpu_timeouts!.timeout_ms / 1000} s timeout in simulated GPU time; lower --concurrency or raise --timeout-ms`
            : `  ${g.model} ${g.prompt_version}: ${g.errored} of ${g.expected} failed; first error: ${g.first_error ?? 'n/a'}`,
        ),
        gpuFailing.length === failing.length
          ? `Run again at a lower concurrency (or with a longer --timeout-ms); --max-error-rate sets how large a share is tolerated.`
          : `Fix the cause, then send the failed items again: ${cliCommand()} eval --resume ${rel} --retry-errors`,
        '',
      ].join('\n'),
    );
  } else if (!io.json && !io.quiet && trust?.warnings.length) {
    process.stderr.write(trust.warnings.map((w) => `warning: ${w}`).join('\n') + '\n');
  }
  if (!io.json) {
    process.stdout.write(`${validity ? speedValidityLines(validity) : ''}${outcome.sent} requests sent, ${outcome.cached} answered from the store.\nReport: ${join(rel, RUN_FILES.report)}\nHTML:    ${join(rel, RUN_FILES.html)}\nSummary: ${join(rel, RUN_FILES.summary)}\n`);
  }
  return code;
}

export { cliCommand } from '../core/package-files.ts';
