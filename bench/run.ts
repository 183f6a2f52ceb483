/**
 * Side-by-side harness benchmark on the simulator in instant mode (no simulated GPU time), so what is
 * measured is the harness: qualbench `eval` vs a minimal openai-SDK loop (the floor), same prompt,
 * same N, same concurrency, in one run; plus qualbench alone at a large N. Wall time and peak RSS
 * come from /usr/bin/time -v. Ratios taken in one run are what matter on a shared, noisy machine.
 *
 * Usage: node bench/run.ts [--n 5000,20000] [--concurrency 64,256] [--repeats 3] [--big 200000] [--promptfoo DIR | --no-promptfoo]
 * promptfoo is installed into DIR (default: a folder under the OS temp dir, reused across runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeBenchProject } from './project.ts';
import { installPromptfoo, promptfooCommand, writePromptfooProject, PROMPTFOO_VERSION } from './promptfoo-leg.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = 'google/gemma-3-4b-it';
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000,20000' },
    concurrency: { type: 'string', default: '64,256' },
    repeats: { type: 'string', default: '3' },
    big: { type: 'string', default: '200000' },
    promptfoo: { type: 'string', default: join(tmpdir(), 'qualbench-bench-promptfoo') },
    'no-promptfoo': { type: 'boolean', default: false },
    /** `sim`: the simulator in instant mode (writes a persona's answer per request); `stub`: bench/stub-server.ts (a canned answer). */
    server: { type: 'string', default: 'sim' },
  },
});

interface Measure {
  wall_s: number;
  rss_mb: number;
}

/**
 * Run a command under /usr/bin/time -v. `done` decides from its output whether it did its work
 * (promptfoo 0.123 exits 100 when assertions fail, and sometimes 1 after its eval when its logger
 * crashes on shutdown).
 */
function timed(cmd: string[], cwd: string, env?: NodeJS.ProcessEnv, done?: (output: string, code: number | null) => boolean): Promise<Measure> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-v', ...cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const wall = (performance.now() - t0) / 1000;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const ok = done ? done(out + err, code) : code === 0;
      if (!ok || !rss) return rej(new Error(`${cmd.join(' ')} exited ${code}\n${(out + err).slice(-2000)}`));
      res({ wall_s: wall, rss_mb: Number(rss[1]) / 1024 });
    });
  });
}

function startSim(): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((res, rej) => {
    const argv = values.server === 'stub' ? [join(REPO, 'bench/stub-server.ts')] : [join(REPO, 'src/sim/main.ts'), '--port', '0', '--speed', 'instant', '--max-num-seqs', '1024'];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) res({ url: `${m[1]}/v1`, child });
    });
    child.on('exit', (c) => rej(new Error(`simulator exited ${c}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[], d = 1) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;

const sim = await startSim();

const say = (s: string) => process.stdout.write(s + '\n');
try {
  const ns = values.n.split(',').map(Number);
  const concs = values.concurrency.split(',').map(Number);
  const repeats = Number(values.repeats);
  const promptfooBin = values['no-promptfoo'] ? null : installPromptfoo(values.promptfoo);
  say(`${values.server === 'stub' ? 'stub server (canned answer)' : 'simulator (instant)'} ${sim.url}; model ${MODEL}; prompt v2; ${repeats} repeats; node ${process.version}${promptfooBin ? `; promptfoo ${PROMPTFOO_VERSION}` : ''}\n`);
  say('| N | concurrency | harness | wall s, median (range) | req/s | peak RSS MB | wall vs plain loop |');
  say('|--:|--:|---|--:|--:|--:|--:|');
  for (const n of ns) {
    const project = mkdtempSync(join(tmpdir(), 'qb-bench-'));
    await makeBenchProject(REPO, project, n, MODEL);
    const pfDir = promptfooBin ? await writePromptfooProject(project, sim.url, MODEL) : null;
    for (const c of concs) {
      const plain: Measure[] = [];
      const qb: Measure[] = [];
      const pf: Measure[] = [];
      for (let r = 0; r < repeats; r++) {
        if (promptfooBin && pfDir) {
          const cmd = promptfooCommand(promptfooBin, pfDir, c);
          pf.push(await timed([process.execPath, ...cmd.argv], pfDir, cmd.env, (o, code) => (code === 0 || code === 100 || /Eval complete/.test(o)) && !/API call error/.test(o)));
        }
        plain.push(await timed([process.execPath, join(REPO, 'bench/plain-loop.ts'), project, sim.url, MODEL, String(c)], project));
        const out = join(project, `run-${c}-${r}`);
        qb.push(await timed([process.execPath, join(REPO, 'src/cli.ts'), 'eval', '--eval', 'bench', '--base-url', sim.url, '--concurrency', String(c), '--out', out, '--store', `${out}-store`, '--quiet'], project));
        rmSync(out, { recursive: true, force: true });
        rmSync(`${out}-store`, { recursive: true, force: true });
      }
      const ratio = qb.map((q, i) => q.wall_s / plain[i]!.wall_s);
      const line = (name: string, m: Measure[], extra: string) =>
        `| ${n} | ${c} | ${name} | ${fmt(m.map((x) => x.wall_s))} | ${fmt(m.map((x) => n / x.wall_s), 0)} | ${fmt(m.map((x) => x.rss_mb), 0)} | ${extra} |`;
      say(line('plain openai loop', plain, '1'));
      say(line('qualbench eval', qb, `${fmt(ratio, 2)}`));
      if (pf.length) say(line('promptfoo eval', pf, `${fmt(pf.map((p, i) => p.wall_s / plain[i]!.wall_s), 2)} (qualbench ${fmt(pf.map((p, i) => p.wall_s / qb[i]!.wall_s), 1)}x faster)`));
    }
    rmSync(project, { recursive: true, force: true });
  }
  const big = Number(values.big);
  if (big > 0) {
    const project = mkdtempSync(join(tmpdir(), 'qb-bench-'));
    await makeBenchProject(REPO, project, big, MODEL);
    const out = join(project, 'run-big');
    const m = await timed([process.execPath, join(REPO, 'src/cli.ts'), 'eval', '--eval', 'bench', '--base-url', sim.url, '--concurrency', '256', '--out', out, '--store', `${out}-store`, '--quiet'], project);
    say(`| ${big} | 256 | qualbench eval | ${m.wall_s.toFixed(1)} | ${(big / m.wall_s).toFixed(0)} | ${m.rss_mb.toFixed(0)} | (alone) |`);
    rmSync(project, { recursive: true, force: true });
  }
} finally {
  sim.child.kill();
}

