import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { readEnv } from '../core/env.ts';
import { runEval } from '../pipeline.ts';
import { codeFile, PACKAGE_ROOT } from '../core/package-files.ts';
import { EVAL_OPTIONS, concurrencyOption, intOption, interruptible, makeProgress, parse, rateOption, reportOutcome, type Io } from './shared.ts';
import { help } from './help.ts';
import { runStamp } from '../core/stamp.ts';

/** Start the simulator as a child process on a free port; resolves with its base URL. */
export function startSimulatorProcess(args: string[]): Promise<{ baseURL: string; child: ChildProcess }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [codeFile('sim/main'), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** `qualbench demo`: the simulator as a child process, the demo eval against it. */
export async function cmdDemo(argv: string[]): Promise<number> {
  const { values } = parse(argv, EVAL_OPTIONS);
  if (values.help) return help();
  const env = readEnv();
  const io: Io = { root: PACKAGE_ROOT, quiet: Boolean(values.quiet), json: Boolean(values.json) };
  // auto: each model's clock as fast as keeps its real request rate at what this host can hold, so the
  // figures (read from the simulator's clock) are not the host's CPU; see docs/simulator.md.
  const speed = values.speed ?? 'auto';
  const t0 = Date.now();
  const sim = await startSimulatorProcess(['--speed', speed]);
  // The demo's project is qualbench's bundled example (its evals/, prompts/, datasets/), wherever it is
  // started from; runs are written under the cwd. `qualbench eval` reads the cwd's project.
  if (!io.json && resolve(process.cwd()) !== PACKAGE_ROOT) {
    process.stderr.write(`Demo: qualbench's bundled example (evals/, prompts/, datasets/ in ${PACKAGE_ROOT}), not this folder's; \`qualbench eval\` evaluates this folder's project.\n`);
  }
  if (!io.json) process.stderr.write(`Simulator (vLLM-compatible, speed ${speed === 'auto' ? 'auto, per model' : speed === 'instant' ? 'instant' : `${speed}x`}) listening at ${sim.baseURL}\n`);
  const controller = new AbortController();
  const release = interruptible(() => controller.abort());
  try {
    const stamp = runStamp();
    const out = resolve(process.cwd(), values.out ?? join('runs', `demo-${stamp}`));
    const outcome = await runEval({
      root: io.root,
      env,
      evalName: values.eval ?? 'candidate-screening',
      models: values.model,
      sample: intOption('sample', values.sample) ?? 200,
      concurrency: concurrencyOption(values.concurrency),
      out,
      baseUrl: sim.baseURL,
      // A store of its own, so every demo measures speed instead of replaying answers.
      storeDir: join(out, '.store'),
      progress: makeProgress(io),
      signal: controller.signal,
    });
    // The demo shows requests that would have timed out on the modelled GPU (report, stderr) without failing
    // on them, unless asked to with --max-error-rate; `eval` fails on them like on failed requests.
    const maxErrorRate = rateOption('max-error-rate', values['max-error-rate']);
    const code = reportOutcome(io, outcome, 'demo', maxErrorRate, { gpuTimeoutsFail: maxErrorRate !== undefined });
    if (!io.json) process.stderr.write(`Demo finished in ${((Date.now() - t0) / 1000).toFixed(1)} s.\n`);
    return code;
  } finally {
    release();
    sim.child.kill('SIGTERM');
  }
}
