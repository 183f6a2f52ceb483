/**
 * The demo's speed figures with and without CPU load: runs `qualbench demo` (the simulator as its own
 * process, `--speed auto`) once idle and once while busy-loop processes keep every core busy, and
 * prints each model's GPU-equivalent total tokens/s, the Llama/Gemma and Gemma/Qwen ratios against the
 * saturated (5K-batch) figures the capacity model is calibrated to (19,813 : 2,511 : 2,725, Qwen's a
 * projection: docs/simulator.md, Calibration), and the run's speed validity.
 *
 *   node bench/speed-ratios.ts                         # --sample 200 (the demo's default), load 0 and 2
 *   node bench/speed-ratios.ts --sample 60 --load 2 --repeats 3
 *   node bench/speed-ratios.ts --speed 50              # what a fixed speed gives (before: wall time ÷ 50)
 *
 * Not a test: it prints figures (wall time included) for bench/README.md and docs/simulator.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { modelSpec } from '../src/sim/models.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    sample: { type: 'string', default: '200' },
    load: { type: 'string', default: '0,2' },
    repeats: { type: 'string', default: '1' },
    speed: { type: 'string', default: 'auto' },
  },
});
const IDS = { llama: 'meta-llama/Llama-3.2-1B-Instruct', gemma: 'google/gemma-3-4b-it', qwen: 'Qwen/Qwen3-4B-Instruct-2507' };
const saturated = (id: string) => modelSpec(id)!.calibration.totalTokensPerS;
const TEAM = { llama: saturated(IDS.llama), gemma: saturated(IDS.gemma), qwen: saturated(IDS.qwen) };

interface Simulated {
  nominal_speed: number;
  total_tokens_per_s: number;
  engine_share: number | null;
  lag_share: number | null;
  held_share: number | null;
}
interface Summary {
  models: Array<{ model: string; speed: { total_tokens_per_s: number | null; wall_ms: number | null; simulated: Simulated | null } }>;
  speed_validity?: { valid: boolean; reasons: string[] };
}

function busyLoops(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

function demo(out: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'src/cli.ts'), 'demo', '--out', out, '--sample', values.sample, '--speed', values.speed, '--json', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? res((performance.now() - t0) / 1000) : rej(new Error(`demo exited ${code}`))));
  });
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: string[] = [];
for (const load of values.load.split(',').map(Number)) {
  for (let rep = 0; rep < Number(values.repeats); rep++) {
    const dir = mkdtempSync(join(tmpdir(), 'qb-speed-'));
    const loops = busyLoops(load);
    let wall: number;
    try {
      wall = await demo(join(dir, 'run'));
    } finally {
      for (const l of loops) l.kill('SIGKILL');
    }
    const s = JSON.parse(readFileSync(join(dir, 'run/summary.json'), 'utf8')) as Summary;
    rmSync(dir, { recursive: true, force: true });
    const m = (id: string) => s.models.find((x) => x.model === id)!;
    // GPU-equivalent: from the simulator's clock when it has one, else (older simulators) wall time ÷ speed.
    const tps = (id: string) => m(id).speed.simulated?.total_tokens_per_s ?? m(id).speed.total_tokens_per_s! / Number(values.speed);
    const [l, g, q] = [tps(IDS.llama), tps(IDS.gemma), tps(IDS.qwen)];
    const sims = Object.values(IDS).map((id) => m(id).speed.simulated).filter((x): x is Simulated => x !== null);
    const share = (k: 'engine_share' | 'lag_share' | 'held_share', f: (...x: number[]) => number) => (sims.length ? fmt(f(...sims.map((x) => x[k] ?? 0)) * 100, 1) + '%' : '–');
    rows.push(
      `| ${load} | ${values.sample} | ${values.speed} | ${fmt(wall, 1)} | ${fmt(l)} | ${fmt(g)} | ${fmt(q)} | ${fmt(l / g, 2)} (${fmt(((l / g) / (TEAM.llama / TEAM.gemma) - 1) * 100, 1)}%) | ${fmt(g / q, 2)} (${fmt(((g / q) / (TEAM.gemma / TEAM.qwen) - 1) * 100, 1)}%) | ${s.speed_validity ? (s.speed_validity.valid ? 'valid' : 'INVALID') : '–'} | ${share('engine_share', Math.min)} | ${share('lag_share', Math.max)} | ${share('held_share', Math.max)} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
}
const lg = fmt(TEAM.llama / TEAM.gemma, 2);
const gq = fmt(TEAM.gemma / TEAM.qwen, 2);
console.log(`\nSaturated (5K batch) figures: Llama ${fmt(TEAM.llama)}, Gemma ${fmt(TEAM.gemma)}, Qwen ${fmt(TEAM.qwen)} total tok/s -> Llama/Gemma ${lg}, Gemma/Qwen ${gq}.\n`);
console.log(`| busy loops | sample | --speed | wall s | Llama tok/s | Gemma tok/s | Qwen tok/s | Llama/Gemma (vs ${lg}) | Gemma/Qwen (vs ${gq}) | speed figures | min engine share | max lag share | max held share |`);
console.log('|--:|--:|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|');
for (const r of rows) console.log(r);
