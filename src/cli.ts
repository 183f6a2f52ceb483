/**
 * argv -> options; maps the outcome to a documented exit code (see EXIT in core/errors.ts).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { EXIT, UserError } from './core/errors.ts';
import { readEnv } from './core/env.ts';
import { chooseProgressMode, createProgress } from './progress.ts';
import { PACKAGE_ROOT, qualbenchVersion, runEval, type EvalOutcome } from './pipeline.ts';
import { rescoreRun } from './rescore.ts';
import { listPromptVersions, loadPromptVersion } from './load/load-prompts.ts';
import { loadDataset, sampleRows } from './load/load-dataset.ts';
import { datasetStats } from './load/dataset-stats.ts';

const HELP = `qualbench ${'$VERSION'}: quality evaluation and regression for LLMs served by vLLM

Usage:
  qualbench eval [--eval NAME] [--model ID ...] [--sample N] [--concurrency N] [--out DIR] [--resume DIR]
  qualbench demo [--out DIR] [--sample N] [--speed X]
  qualbench rescore <run-dir>         re-score, re-aggregate and re-report a run; sends nothing
  qualbench sim [--port N] [--speed X|instant] [--seed N] [--api-key KEY] ...   (see docs/simulator.md)
  qualbench prompts list [NAME]
  qualbench datasets stats [NAME] [--sample N] [--seed N] [--json]

Common options:
  --quiet            no progress output
  --json             print the outcome as one JSON line on stdout
  --store DIR        response store (default .qualbench/store, or QUALBENCH_STORE)
  --base-url URL     send every model to this OpenAI-compatible base URL
  --timeout-ms N     per-request timeout (default 120000)
  --max-attempts N   attempts per request, the first included (default 5)

Endpoints: models without base_url use VLLM_BASE_URL, else http://localhost:8000/v1.
Exit codes: 0 ok, 1 gate failed, 2 usage/config error (nothing sent), 3 run aborted (resumable), 70 bug.`;

const EVAL_OPTIONS = {
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
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true as const });
  } catch (e) {
    throw new UserError((e as Error).message, { hint: 'Run `qualbench --help` for usage.' });
  }
}

/** "Expected `--sample` to be a whole number from 1 up, got `abc`" */
function intOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UserError(`Expected \`--${name}\` to be a whole number from ${min} up, got \`${value}\``, { field: `--${name}` });
  }
  return n;
}

interface Io {
  root: string;
  quiet: boolean;
  json: boolean;
}

function makeProgress(io: Io) {
  const env = readEnv();
  return createProgress(chooseProgressMode({ quiet: io.quiet, ci: env.ci, isTTY: Boolean(process.stderr.isTTY) }));
}

/** Ctrl-C once: stop sending, let requests in flight finish, keep the run resumable. Twice: exit now. */
function interruptible(onFirst: () => void): () => void {
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

function reportOutcome(io: Io, outcome: EvalOutcome, label = 'eval'): number {
  const rel = relative(process.cwd(), outcome.runDir) || '.';
  if (io.json) {
    process.stdout.write(JSON.stringify({ event: `${label}-${outcome.interrupted ? 'interrupted' : 'done'}`, run_dir: outcome.runDir, sent: outcome.sent, cached: outcome.cached }) + '\n');
  } else if (outcome.interrupted) {
    process.stderr.write(`Run interrupted. Resume with: qualbench eval --resume ${rel}\n`);
  } else {
    process.stdout.write(`${outcome.sent} requests sent, ${outcome.cached} answered from the store.\nReport: ${join(rel, 'report.md')}\nSummary: ${join(rel, 'summary.json')}\n`);
  }
  return outcome.interrupted ? EXIT.aborted : EXIT.ok;
}

async function cmdEval(argv: string[]): Promise<number> {
  const { values } = parse(argv, EVAL_OPTIONS);
  if (values.help) return help();
  const env = readEnv();
  const io: Io = { root: process.cwd(), quiet: Boolean(values.quiet), json: Boolean(values.json) };
  if (values.out && values.resume) throw new UserError('use either --out (a new run) or --resume (an existing one), not both', { field: '--resume' });
  const controller = new AbortController();
  const release = interruptible(() => controller.abort());
  try {
    const outcome = await runEval({
      root: io.root,
      env,
      evalName: values.eval,
      models: values.model,
      sample: intOption('sample', values.sample),
      concurrency: intOption('concurrency', values.concurrency),
      out: values.out,
      resume: values.resume,
      baseUrl: values['base-url'],
      storeDir: resolve(io.root, values.store ?? env.storeDir ?? '.qualbench/store'),
      timeoutMs: intOption('timeout-ms', values['timeout-ms']),
      maxAttempts: intOption('max-attempts', values['max-attempts']),
      progress: makeProgress(io),
      signal: controller.signal,
    });
    return reportOutcome(io, outcome);
  } finally {
    release();
  }
}

/** Start the simulator as a child process on a free port; resolves with its base URL. */
export function startSimulatorProcess(args: string[]): Promise<{ baseURL: string; child: ChildProcess }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'src/sim/main.ts'), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the simulator did not start within 20 s\n${err}`));
    }, 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ baseURL: `${m[1]}/v1`, child });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited with code ${code}\n${err}`));
    });
  });
}

async function cmdDemo(argv: string[]): Promise<number> {
  const { values } = parse(argv, EVAL_OPTIONS);
  if (values.help) return help();
  const env = readEnv();
  const io: Io = { root: PACKAGE_ROOT, quiet: Boolean(values.quiet), json: Boolean(values.json) };
  const speed = values.speed ?? '50';
  const t0 = Date.now();
  const sim = await startSimulatorProcess(['--speed', speed]);
  if (!io.json) process.stderr.write(`Simulator (vLLM-compatible, speed ${speed}x) listening at ${sim.baseURL}\n`);
  const controller = new AbortController();
  const release = interruptible(() => controller.abort());
  try {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    const out = resolve(process.cwd(), values.out ?? join('runs', `demo-${stamp}`));
    const outcome = await runEval({
      root: io.root,
      env,
      evalName: values.eval ?? 'candidate-screening',
      models: values.model,
      sample: intOption('sample', values.sample) ?? 200,
      concurrency: intOption('concurrency', values.concurrency),
      out,
      baseUrl: sim.baseURL,
      // A store of its own, so every demo measures speed instead of replaying answers.
      storeDir: join(out, '.store'),
      progress: makeProgress(io),
      signal: controller.signal,
    });
    const code = reportOutcome(io, outcome, 'demo');
    if (!io.json) process.stderr.write(`Demo finished in ${((Date.now() - t0) / 1000).toFixed(1)} s.\n`);
    return code;
  } finally {
    release();
    sim.child.kill('SIGTERM');
  }
}

async function cmdRescore(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  const dir = positionals[0];
  if (!dir) throw new UserError('name the run directory to re-score', { hint: 'qualbench rescore runs/<run>' });
  const runDir = resolve(dir);
  await rescoreRun(process.cwd(), runDir);
  if (values.json) process.stdout.write(JSON.stringify({ event: 'rescore-done', run_dir: runDir }) + '\n');
  else process.stdout.write(`Re-scored ${relative(process.cwd(), runDir) || runDir}: scores.jsonl, summary.json, report.md rewritten; nothing sent.\n`);
  return EXIT.ok;
}

async function cmdPrompts(argv: string[]): Promise<number> {
  const [sub, name = 'candidate-screening'] = argv;
  if (sub !== 'list') throw new UserError(`unknown prompts command \`${sub ?? ''}\``, { hint: 'qualbench prompts list [NAME]' });
  const root = process.cwd();
  for (const v of listPromptVersions(root, name)) {
    const p = loadPromptVersion(root, name, v);
    process.stdout.write(`${name}@${v}  ${p.sha256.slice(0, 12)}  ${p.released ? 'released' : 'draft   '}  ${p.meta.date}  ${p.meta.changes.split(/(?<=\.)\s/)[0]}\n`);
  }
  return EXIT.ok;
}

async function cmdDatasets(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'stats') throw new UserError(`unknown datasets command \`${sub ?? ''}\``, { hint: 'qualbench datasets stats [NAME] [--sample N] [--seed N] [--json]' });
  const { values, positionals } = parse(rest, { sample: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } });
  const name = positionals[0] ?? 'candidates-golden';
  const ds = await loadDataset(process.cwd(), name);
  const n = intOption('sample', values.sample);
  const rows = n ? sampleRows(ds.rows, n, intOption('seed', values.seed, 0) ?? 1) : ds.rows;
  const stats = datasetStats(rows);
  if (values.json) {
    process.stdout.write(JSON.stringify({ dataset: name, version: ds.manifest.version, sha256: ds.manifest.sha256, ...stats }) + '\n');
    return EXIT.ok;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);
  const lines = [
    `${name}@${ds.manifest.version}  ${ds.manifest.sha256.slice(0, 12)}  ${stats.rows} rows${n ? ` (sample of ${ds.total}, stratified)` : ''}`,
    '',
    'recommendation   rows  share',
    ...stats.classes.map((c) => `${c.recommendation.padEnd(14)} ${String(c.rows).padStart(6)} ${pct(c.share)}`),
    '',
    'stratum              rows  share',
    ...stats.strata.map((s) => `${s.stratum.padEnd(18)} ${String(s.rows).padStart(6)} ${pct(s.share)}`),
    '',
    `profile tokens (≈ chars/4): min ${stats.profileTokens.min}, median ${stats.profileTokens.p50}, p90 ${stats.profileTokens.p90}, max ${stats.profileTokens.max}, mean ${stats.profileTokens.mean}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}

async function cmdSim(argv: string[]): Promise<number> {
  const { main } = await import('./sim/main.ts');
  await main(argv);
  return -1; // keeps running until signalled
}

function help(): number {
  process.stdout.write(HELP.replace('$VERSION', qualbenchVersion()) + '\n');
  return EXIT.ok;
}

export async function runCli(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'eval':
      return cmdEval(rest);
    case 'demo':
      return cmdDemo(rest);
    case 'rescore':
      return cmdRescore(rest);
    case 'sim':
      return cmdSim(rest);
    case 'prompts':
      return cmdPrompts(rest);
    case 'datasets':
      return cmdDatasets(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return help();
    case '--version':
      process.stdout.write(qualbenchVersion() + '\n');
      return EXIT.ok;
    default:
      throw new UserError(`unknown command \`${cmd}\``, { hint: 'Run `qualbench --help` for usage.' });
  }
}

/** Run the CLI and set the process exit code. Used by bin/qualbench.js and `node src/cli.ts`. */
export async function main(argv: string[]): Promise<void> {
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
