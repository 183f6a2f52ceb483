import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { checkedBaseUrl, readEnv } from '../core/env.ts';
import { runEval } from '../pipeline.ts';
import { EVAL_OPTIONS, concurrencyOption, intOption, interruptible, makeProgress, parse, rateOption, reportOutcome, type Io } from './shared.ts';
import { help } from './help.ts';
import { gateEvent, readBaselineFile, runGate } from '../usecases/gate-run.ts';

/** `qualbench eval` */
export async function cmdEval(argv: string[]): Promise<number> {
  const { values } = parse(argv, EVAL_OPTIONS);
  if (values.help) return help();
  const env = readEnv();
  // --ci: quiet, machine-readable, and gated.
  const io: Io = { root: process.cwd(), quiet: Boolean(values.quiet || values.ci || values.sequential), json: Boolean(values.json || values.ci || values.sequential) };
  if (values.out && values.resume) throw new UserError('use either --out (a new run) or --resume (an existing one), not both', { field: '--resume' });
  if (values['retry-errors'] && !values.resume) throw new UserError('--retry-errors goes with --resume <run-dir>: it sends again the items of that run that ended in an error', { field: '--retry-errors' });
  const maxErrorRate = rateOption('max-error-rate', values['max-error-rate']);
  if (values.ci || values.sequential) {
    // The baseline is read before any request is sent: a broken one must not cost a whole run first.
    const file = resolve(io.root, values.baseline ?? join('baselines', `${values.eval ?? 'candidate-screening'}.json`));
    if (existsSync(file)) readBaselineFile(io.root, file);
    else if (values.baseline) throw new UserError('baseline file not found', { file: values.baseline, field: '--baseline' });
  }
  if (values.sequential) return sequential(values, io, env);
  if (values.looks) throw new UserError('--looks goes with --sequential', { field: '--looks' });
  const controller = new AbortController();
  const release = interruptible(() => controller.abort());
  try {
    const outcome = await runEval({
      root: io.root,
      env,
      evalName: values.eval,
      models: values.model,
      sample: intOption('sample', values.sample),
      concurrency: concurrencyOption(values.concurrency),
      out: values.out,
      resume: values.resume,
      ...connectionOptions(values, io, env),
      signal: controller.signal,
      retryErrors: Boolean(values['retry-errors']),
    });
    const code = reportOutcome(io, outcome, 'eval', maxErrorRate);
    if (!values.ci || code !== 0) return code;
    const gate = await runGate(io.root, outcome.runDir, { baseline: values.baseline, allowPartial: values['allow-partial'] }, (md) => process.stderr.write(md + '\n'));
    process.stdout.write(JSON.stringify(gateEvent(gate.outcome, `${outcome.runDir}/junit.xml`)) + '\n');
    return gate.code;
  } finally {
    release();
  }
}

/** `--looks 100,200,400,all`: increasing sample sizes; `all` (or a size at or past the dataset) is the whole dataset. */
export function parseLooks(text: string | undefined): Array<number | 'all'> {
  const parts = (text ?? '100,200,400,all').split(',').map((x) => x.trim());
  const looks = parts.map((x) => (x === 'all' ? 'all' : Number(x)));
  const sizes = looks.map((x) => (x === 'all' ? Infinity : x));
  if (looks.some((x) => x !== 'all' && (!Number.isInteger(x) || x < 1)) || sizes.some((x, i) => i > 0 && x <= sizes[i - 1]!) || looks.length > 20) {
    throw new UserError(`--looks must be increasing sample sizes (whole numbers, or \`all\` last), at most 20, got \`${text}\``, { field: '--looks' });
  }
  return looks;
}

/**
 * `eval --ci --sequential [--looks 100,200,400,all]`: evaluate a small stratified sample, gate it, and
 * add items only while some gate is inconclusive (and none failed), up to the last look. Samples are
 * nested (seeded per-item ranks within each gold class), so every earlier answer comes from the
 * store. Every look tests at alpha ÷ looks (Bonferroni over the planned looks), so stopping early keeps
 * the error rates. One JSON line per look, then the gate line with the requests the verdict took;
 * the deciding look's gate.json and junit.xml are copied to the top of --out.
 */
async function sequential(values: ReturnType<typeof parse<typeof EVAL_OPTIONS>>['values'], io: Io, env: ReturnType<typeof readEnv>): Promise<number> {
  if (values.resume) throw new UserError('--sequential starts new runs; it cannot --resume', { field: '--resume' });
  if (values.sample) throw new UserError('--sequential chooses the sample sizes itself: use --looks instead of --sample', { field: '--sample' });
  const looks = parseLooks(values.looks);
  const base = resolve(io.root, values.out ?? join('runs', `sequential-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  const controller = new AbortController();
  const release = interruptible(() => controller.abort());
  let sent = 0;
  let cached = 0;
  try {
    for (const [k, look] of looks.entries()) {
      const outcome = await runEval({
        root: io.root,
        env,
        evalName: values.eval,
        models: values.model,
        sample: look === 'all' ? undefined : look,
        concurrency: concurrencyOption(values.concurrency),
        out: join(base, `look-${k + 1}`),
        ...connectionOptions(values, io, env),
        signal: controller.signal,
      });
      sent += outcome.sent;
      cached += outcome.cached;
      if (outcome.interrupted) return reportOutcome(io, outcome);
      const gate = await runGate(io.root, outcome.runDir, { baseline: values.baseline, looks: looks.length }, (md) => process.stderr.write(md + '\n'));
      const c = gate.outcome.counts;
      const last = k === looks.length - 1;
      const stop = last || c.fail > 0 || c.inconclusive === 0;
      process.stdout.write(JSON.stringify({ event: 'look', look: k + 1, of: looks.length, run_dir: outcome.runDir, sample: look, sent: outcome.sent, cached: outcome.cached, counts: c, stop }) + '\n');
      if (stop) {
        // The verdict's files also at the top of --out, where CI looks for them.
        for (const f of ['gate.json', 'junit.xml']) copyFileSync(join(outcome.runDir, f), join(base, f));
        process.stdout.write(JSON.stringify({ ...gateEvent(gate.outcome, join(outcome.runDir, 'junit.xml')), sequential: { looks_used: k + 1, looks_planned: looks.length, sample: look, requests_sent: sent, answers_from_store: cached } }) + '\n');
        return gate.code;
      }
    }
    throw new Error('unreachable: the last look always stops');
  } finally {
    release();
  }
}

/** The options every eval run shares, plain or sequential: where to send, where to store, limits, progress. */
function connectionOptions(values: ReturnType<typeof parse<typeof EVAL_OPTIONS>>['values'], io: Io, env: ReturnType<typeof readEnv>) {
  return {
    baseUrl: values['base-url'] === undefined ? undefined : checkedBaseUrl(values['base-url'], '--base-url'),
    storeDir: resolve(io.root, values.store ?? env.storeDir ?? '.qualbench/store'),
    timeoutMs: intOption('timeout-ms', values['timeout-ms']),
    maxAttempts: intOption('max-attempts', values['max-attempts']),
    progress: makeProgress(io),
  };
}
