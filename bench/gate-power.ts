/**
 * How often the gate fails when nothing changed, and how often it catches a planted regression:
 * `node bench/gate-power.ts [--pairs 20] [--keep]`.
 *
 * One simulated model (fixed `--seed 0`), runs that differ only in their `--run-seed` (the
 * re-run nondeterminism of real vLLM at temperature 0, 3% of answers by default), each with its own
 * store so every answer is really produced by its run. Run seed 0 is the committed baseline (at
 * `--sample 100` and on the whole golden set of 605); run seeds 1..pairs are the CI runs:
 *
 * - A/A: gate each run against the baseline; any failed gate is a false fail.
 * - planted 10 points on 100: copy the sample-100 run, turn 10 of Gemma v2's valid-JSON answers into
 *   prose in results.jsonl, `qualbench rescore`, gate. Caught = the gate exits 1 with a regression
 *   gate of Gemma v2 failing (prose fails JSON validity, the contract and instruction-following at once).
 * - planted 5 points on 605: the same with ceil(5% x 605) = 31 answers of the full run (a drop the
 *   size of the 5-point margin: the rule fails it when the observed drop reaches the margin, so about
 *   half the time); planted 7 points (43 answers) shows the power just past the margin.
 *
 * - sequential (`eval --sequential`, looks 100, 200, 400, all 605, alpha / 4 per look): for every
 *   case on the whole golden set (A/A, planted 5, 7 and 10 points), the looks are replayed on the full
 *   run's scores: look k keeps the items of the nested stratified sample of that size (the items
 *   `eval --sequential` would have run; their answers are the same, since the same run seed and store
 *   answer them) and `qualbench gate --looks 4` gates it; it stops at the first look with a failed gate
 *   or no inconclusive one. Requests = items of the last look x groups (earlier answers are reused from
 *   the store). Reported against the same case gated once on all 605 items.
 *
 * `--aa-only --pairs N`: only A/A at `--sample 100`, as N independent pairs (run seeds 2k and 2k + 1,
 * a fresh baseline from the first of each pair), for a tighter false-fail estimate.
 *
 * Every step is the real CLI against the simulator as a separate process. Prints tables and one JSON line.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDataset, sampleRows } from '../src/load/load-dataset.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'src/cli.ts');
const GEMMA = 'google/gemma-3-4b-it';

const { values } = parseArgs({ options: { pairs: { type: 'string', default: '20' }, keep: { type: 'boolean' }, 'aa-only': { type: 'boolean' } } });
const PAIRS = Number(values.pairs);

function run(cmd: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, cmd, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', rej);
    child.once('exit', (code) => res({ code: code ?? 70, stdout, stderr }));
  });
}

async function withSimulator<T>(runSeed: number, f: (baseURL: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [join(REPO, 'src/sim/main.ts'), '--port', '0', '--speed', 'instant', '--seed', '0', '--run-seed', String(runSeed)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) res(m[1]!);
    });
    child.once('exit', () => rej(new Error('simulator exited')));
  });
  try {
    return await f(`${url}/v1`);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

async function cli(args: string[], cwd: string, okCodes = [0]): Promise<{ code: number; stdout: string }> {
  const r = await run([CLI, ...args], cwd);
  if (!okCodes.includes(r.code)) throw new Error(`qualbench ${args.join(' ')} exited ${r.code}\n${r.stderr}`);
  return r;
}

/** Turn `k` of Gemma v2's valid-JSON answers (seeded choice) into prose, in a copy of the run. */
function plant(project: string, from: string, to: string, k: number, seed: number): void {
  cpSync(join(project, from), join(project, to), { recursive: true });
  for (const f of ['gate.json', 'junit.xml']) rmSync(join(project, to, f), { force: true });
  const scores = readFileSync(join(project, to, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item_id: string; model: string; prompt_version: string; scores: Record<string, { score: number | null }> });
  const valid = scores.filter((s) => s.model === GEMMA && s.prompt_version === 'v2' && s.scores['json-strict']?.score === 1).map((s) => s.item_id).sort();
  // seeded partial Fisher-Yates
  let a = (seed * 2654435761) >>> 0;
  const rand = () => ((a = (Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (valid.length - i));
    [valid[i], valid[j]] = [valid[j]!, valid[i]!];
  }
  const chosen = new Set(valid.slice(0, k));
  const file = join(project, to, 'results.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => {
    const r = JSON.parse(l) as { item_id: string; model: string; prompt_version: string; response: { content: string } | null };
    if (r.model === GEMMA && r.prompt_version === 'v2' && chosen.has(r.item_id) && r.response) {
      r.response.content = 'Thanks for sharing this profile. The candidate has solid experience and I think they would be worth a conversation, though I would want to know more about their recent projects before deciding.';
    }
    return JSON.stringify(r);
  });
  writeFileSync(file, lines.join('\n') + '\n');
  if (chosen.size !== k) throw new Error(`only ${chosen.size} valid answers to plant in`);
}

interface GateResult {
  code: number;
  counts: { pass: number; fail: number; inconclusive: number };
  failed: string[];
}
async function gate(project: string, runDir: string, baseline: string): Promise<GateResult> {
  const r = await cli(['gate', runDir, '--baseline', baseline, '--json'], project, [0, 1]);
  const line = JSON.parse(r.stdout.trim().split('\n').pop()!) as GateResult;
  return { code: r.code, counts: line.counts, failed: line.failed };
}
const LOOKS = [100, 200, 400, 605];

/** Replay `eval --sequential` on a full run's scores; see the header. */
async function sequentialGate(project: string, fullDir: string, baseline: string, samples: Map<number, Set<string>>): Promise<{ code: number; looks: number; items: number; requests: number; caught: boolean }> {
  const scores = readFileSync(join(project, fullDir, 'scores.jsonl'), 'utf8').trim().split('\n');
  const groupsCount = new Set(scores.map((l) => { const r = JSON.parse(l) as { model: string; prompt_version: string }; return `${r.model} ${r.prompt_version}`; })).size;
  for (const [k, n] of LOOKS.entries()) {
    const dir = `${fullDir}-look${k + 1}`;
    const ids = samples.get(n)!;
    cpSync(join(project, fullDir, 'manifest.json'), join(project, dir, 'manifest.json'));
    writeFileSync(join(project, dir, 'scores.jsonl'), scores.filter((l) => ids.has((JSON.parse(l) as { item_id: string }).item_id)).join('\n') + '\n');
    const r = await cli(['gate', dir, '--baseline', baseline, '--looks', String(LOOKS.length), '--json'], project, [0, 1]);
    const g = JSON.parse(r.stdout.trim().split('\n').pop()!) as GateResult;
    const gr = { code: r.code, counts: g.counts, failed: g.failed };
    if (k === LOOKS.length - 1 || gr.counts.fail > 0 || gr.counts.inconclusive === 0) return { code: r.code, looks: k + 1, items: n, requests: n * groupsCount, caught: caught(gr) };
  }
  throw new Error('unreachable');
}

/** Caught: the gate exits 1 and a regression gate of Gemma v2 (the planted group) is among the failures. */
const caught = (g: GateResult) => g.code === 1 && g.failed.some((f) => / regression: \w+ google\/gemma-3-4b-it v2$/.test(f));

const project = mkdtempSync(join(tmpdir(), 'qb-gate-power-'));
for (const d of ['evals', 'prompts', 'datasets']) cpSync(join(REPO, d), join(project, d), { recursive: true });
const started = Date.now();
if (values['aa-only']) {
  try {
    let fails = 0;
    const inconclusive: number[] = [];
    const failedGates: string[] = [];
    for (let k = 0; k < PAIRS; k++) {
      for (const s of [2 * k, 2 * k + 1]) {
        await withSimulator(s, (url) => cli(['eval', '--sample', '100', '--out', `s100-${s}`, '--store', `store-${s}`, '--base-url', url, '--quiet'], project));
      }
      await cli(['baseline', 'update', `s100-${2 * k}`, '--out', `baselines/b-${k}.json`], project);
      const g = await gate(project, `s100-${2 * k + 1}`, `baselines/b-${k}.json`);
      if (g.code === 1) fails++;
      failedGates.push(...g.failed);
      inconclusive.push(g.counts.inconclusive);
      for (const s of [2 * k, 2 * k + 1]) rmSync(join(project, `store-${s}`), { recursive: true, force: true });
      process.stderr.write(`pair ${k + 1}: ${g.code === 1 ? 'FAILED ' + g.failed.join(', ') : 'passed'} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    const mean = inconclusive.reduce((a, b) => a + b, 0) / inconclusive.length;
    process.stdout.write(`\nA/A, --sample 100, ${PAIRS} independent pairs: ${fails} false fail(s); inconclusive gates per run ${mean.toFixed(2)} (mean)\n`);
    process.stdout.write(JSON.stringify({ aa_only: true, pairs: PAIRS, false_fails: fails, failed_gates: failedGates, inconclusive }) + '\n');
  } finally {
    if (values.keep) process.stderr.write(`kept ${project}\n`);
    else rmSync(project, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  for (let s = 0; s <= PAIRS; s++) {
    await withSimulator(s, async (url) => {
      await cli(['eval', '--out', `full-${s}`, '--store', `store-${s}`, '--base-url', url, '--quiet'], project);
      await cli(['eval', '--sample', '100', '--out', `s100-${s}`, '--store', `store-${s}`, '--base-url', url, '--quiet'], project);
    });
    process.stderr.write(`run seed ${s}: done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  const sampleSeed = (JSON.parse(readFileSync(join(project, 's100-0', 'manifest.json'), 'utf8')) as { dataset: { sample_seed: number } }).dataset.sample_seed;
  const rowsAll = (await loadDataset(project, 'candidates-golden')).rows;
  const samples = new Map(LOOKS.map((n) => [n, new Set(sampleRows(rowsAll, n, sampleSeed, { gold: 'recommendation', scale: ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'] }).map((r) => r.id))]));
  // The replay must use the same items as eval --sample: check it on the 100-item run.
  const s100 = new Set(readFileSync(join(project, 's100-0', 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { item_id: string }).item_id));
  if (s100.size !== 100 || [...samples.get(100)!].some((id) => !s100.has(id))) throw new Error('the replayed sample differs from eval --sample 100');
  for (let i = 1; i < LOOKS.length; i++) if ([...samples.get(LOOKS[i - 1]!)!].some((id) => !samples.get(LOOKS[i]!)!.has(id))) throw new Error('samples are not nested');
  await cli(['baseline', 'update', 's100-0', '--out', 'baselines/b100.json'], project);
  await cli(['baseline', 'update', 'full-0', '--out', 'baselines/bfull.json'], project);

  const rows: Record<string, { runs: number; exit1: number; caught: number; inconclusive: number[]; anyOtherFail: number }> = {};
  const seq: Record<string, { runs: number; same: number; exit1: number; caught: number; requests: number[]; fullExit1: number }> = {};
  const FULL_REQUESTS = 605 * 9;
  const addSeq = async (name: string, dir: string, full: GateResult, planted: boolean) => {
    const r = await sequentialGate(project, dir, 'baselines/bfull.json', samples);
    const row = (seq[name] ??= { runs: 0, same: 0, exit1: 0, caught: 0, requests: [], fullExit1: 0 });
    row.runs++;
    if (r.code === full.code) row.same++;
    if (r.code === 1) row.exit1++;
    if (full.code === 1) row.fullExit1++;
    if (planted && r.caught) row.caught++;
    row.requests.push(r.requests);
  };
  const add = (name: string, g: GateResult, planted: boolean) => {
    const row = (rows[name] ??= { runs: 0, exit1: 0, caught: 0, inconclusive: [], anyOtherFail: 0 });
    row.runs++;
    if (g.code === 1) row.exit1++;
    if (planted && caught(g)) row.caught++;
    row.inconclusive.push(g.counts.inconclusive);
    const others = g.failed.filter((f) => !f.includes('google/gemma-3-4b-it v2'));
    if (others.length) row.anyOtherFail++;
  };
  for (let s = 1; s <= PAIRS; s++) {
    add('A/A, sample 100', await gate(project, `s100-${s}`, 'baselines/b100.json'), false);
    const aaFull = await gate(project, `full-${s}`, 'baselines/bfull.json');
    add('A/A, golden set 605', aaFull, false);
    await addSeq('A/A', `full-${s}`, aaFull, false);
    plant(project, `s100-${s}`, `p10-${s}`, 10, s);
    await cli(['rescore', `p10-${s}`], project);
    add('planted 10 pts, sample 100', await gate(project, `p10-${s}`, 'baselines/b100.json'), true);
    plant(project, `full-${s}`, `p5-${s}`, Math.ceil(0.05 * 605), s);
    await cli(['rescore', `p5-${s}`], project);
    const g5 = await gate(project, `p5-${s}`, 'baselines/bfull.json');
    add('planted 5 pts (31 items), 605', g5, true);
    await addSeq('planted 5 pts', `p5-${s}`, g5, true);
    plant(project, `full-${s}`, `p7-${s}`, Math.ceil(0.07 * 605), s);
    await cli(['rescore', `p7-${s}`], project);
    const g7 = await gate(project, `p7-${s}`, 'baselines/bfull.json');
    add('planted 7 pts (43 items), 605', g7, true);
    await addSeq('planted 7 pts', `p7-${s}`, g7, true);
    plant(project, `full-${s}`, `p10f-${s}`, Math.ceil(0.1 * 605), s);
    await cli(['rescore', `p10f-${s}`], project);
    const g10 = await gate(project, `p10f-${s}`, 'baselines/bfull.json');
    add('planted 10 pts (61 items), 605', g10, true);
    await addSeq('planted 10 pts', `p10f-${s}`, g10, true);
    process.stderr.write(`pair ${s}: gated (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  process.stdout.write('\n| case | runs | gate exit 1 | caught (a Gemma v2 regression gate fails) | runs with a fail elsewhere | inconclusive gates per run (mean) |\n|---|--:|--:|--:|--:|--:|\n');
  for (const [name, r] of Object.entries(rows)) {
    process.stdout.write(`| ${name} | ${r.runs} | ${r.exit1} | ${name.startsWith('planted') ? r.caught : '—'} | ${r.anyOtherFail} | ${mean(r.inconclusive).toFixed(1)} |\n`);
  }
  process.stdout.write(`\nSequential (looks ${LOOKS.join(', ')}; whole golden set = ${FULL_REQUESTS} requests):\n\n| case (on 605) | runs | same exit code as all 605 | exit 1 (all 605 / sequential) | caught | requests, mean (% of all 605) | requests, max |\n|---|--:|--:|--:|--:|--:|--:|\n`);
  let allReq: number[] = [];
  for (const [name, r] of Object.entries(seq)) {
    allReq = allReq.concat(r.requests);
    process.stdout.write(`| ${name} | ${r.runs} | ${r.same} | ${r.fullExit1} / ${r.exit1} | ${name.startsWith('planted') ? r.caught : '—'} | ${mean(r.requests).toFixed(0)} (${((100 * mean(r.requests)) / FULL_REQUESTS).toFixed(0)}%) | ${Math.max(...r.requests)} |\n`);
  }
  process.stdout.write(`| all cases | ${allReq.length} | | | | ${mean(allReq).toFixed(0)} (${((100 * mean(allReq)) / FULL_REQUESTS).toFixed(0)}%) | ${Math.max(...allReq)} |\n`);
  process.stdout.write(JSON.stringify({ pairs: PAIRS, rows, sequential: seq, seconds: Math.round((Date.now() - started) / 1000) }) + '\n');
} finally {
  if (values.keep) process.stderr.write(`kept ${project}\n`);
  else rmSync(project, { recursive: true, force: true });
}
