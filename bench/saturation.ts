/**
 * Does qualbench keep the server full without tuning? The simulator models a GPU with continuous
 * batching (`--max-num-seqs`, KV budget, prefill/decode), sped up `--speed` times. For fixed
 * concurrencies and for `--concurrency auto`, qualbench runs a large eval; the steady-state throughput
 * is read from the simulator's own request counter over a window after ramp-up, then the eval is
 * interrupted (Ctrl-C semantics: in-flight requests finish). Reported: req/s per setting and auto's
 * share of the best fixed setting, all in one run.
 *
 * Usage: node bench/saturation.ts [--speed 50] [--max-num-seqs 256] [--model google/gemma-3-4b-it]
 *        [--concurrency 16,64,256,1024] [--warmup 6] [--window 8]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeBenchProject } from './project.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    speed: { type: 'string', default: '50' },
    'max-num-seqs': { type: 'string', default: '256' },
    model: { type: 'string', default: 'google/gemma-3-4b-it' },
    concurrency: { type: 'string', default: '16,64,256,1024' },
    warmup: { type: 'string', default: '6' },
    window: { type: 'string', default: '8' },
  },
});
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

function startSim(): Promise<{ origin: string; child: ChildProcess }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(REPO, 'src/sim/main.ts'), '--port', '0', '--speed', values.speed, '--max-num-seqs', values['max-num-seqs']], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) res({ origin: m[1]!, child });
    });
    child.on('exit', (c) => rej(new Error(`simulator exited ${c}`)));
  });
}

/** Tokens the server has processed (prompt + generated): smoother than finished requests over a short window. */
async function tokens(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (/^vllm:(prompt|generation)_tokens_total\{/.test(line) && line.includes(`model_name="${values.model}"`)) sum += Number(line.split(' ').pop());
  }
  return sum;
}

async function measure(origin: string, project: string, concurrency: string): Promise<{ rate: number; settled: string }> {
  const out = join(project, `run-${concurrency}`);
  const child = spawn(process.execPath, [join(REPO, 'src/cli.ts'), 'eval', '--eval', 'bench', '--base-url', `${origin}/v1`, '--concurrency', concurrency, '--out', out, '--store', `${out}-store`, '--quiet'], { cwd: project, stdio: 'ignore' });
  await sleep(Number(values.warmup));
  const a = await tokens(origin);
  await sleep(Number(values.window));
  const b = await tokens(origin);
  child.kill('SIGINT');
  await new Promise((r) => child.on('exit', r));
  // Let the simulator drain what the interrupted run left in its queue before the next setting.
  for (let i = 0; i < 120; i++) {
    const t = await (await fetch(`${origin}/metrics`)).text();
    if (!/vllm:num_requests_(running|waiting)\{[^}]*\} [1-9]/.test(t)) break;
    await sleep(0.5);
  }
  let settled = '';
  try {
    const t = JSON.parse(readFileSync(join(out, 'timing.jsonl'), 'utf8').trim().split('\n').pop()!) as { concurrency?: { final: number; peak: number } };
    if (t.concurrency) settled = `ended at ${t.concurrency.final}, peak ${t.concurrency.peak}`;
  } catch {
    // no timing line: nothing to say
  }
  rmSync(out, { recursive: true, force: true });
  rmSync(`${out}-store`, { recursive: true, force: true });
  return { rate: (b - a) / Number(values.window), settled };
}

const sim = await startSim();
const project = mkdtempSync(join(tmpdir(), 'qb-sat-'));
try {
  await makeBenchProject(REPO, project, 200_000, values.model);
  const say = (s: string) => process.stdout.write(s + '\n');
  say(`simulator --speed ${values.speed} --max-num-seqs ${values['max-num-seqs']}; model ${values.model}; steady state over ${values.window} s after ${values.warmup} s; node ${process.version}\n`);
  say('| concurrency | total tok/s, GPU-equivalent | share of best fixed | |');
  say('|---|--:|--:|---|');
  const fixed = values.concurrency.split(',');
  const rates = new Map<string, { rate: number; settled: string }>();
  for (const c of [...fixed, 'auto']) rates.set(c, await measure(sim.origin, project, c));
  const best = Math.max(...fixed.map((c) => rates.get(c)!.rate));
  for (const [c, r] of rates) say(`| ${c} | ${(r.rate / Number(values.speed)).toFixed(0)} | ${((100 * r.rate) / best).toFixed(0)}% | ${r.settled} |`);
} finally {
  sim.child.kill();
  rmSync(project, { recursive: true, force: true });
}
