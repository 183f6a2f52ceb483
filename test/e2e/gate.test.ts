/**
 * CI gating end to end: A/A runs (same model seed, different run seeds) never fail a gate; a planted
 * regression fails the named metric; exit codes, gate.json, junit.xml and the step summary.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';
import { GateReport } from '../../src/core/gate-records.ts';

const MODEL = 'google/gemma-3-4b-it';

/** One run of the same simulated model; `seed` is the run seed (this run's nondeterminism). */
async function runWithSeed(root: string, seed: number, out: string): Promise<void> {
  const sim = await spawnSimulator(['--speed', 'instant', '--run-seed', String(seed)]);
  try {
    const r = await runCli(['eval', '--sample', '80', '--model', MODEL, '--out', out, '--base-url', sim.baseURL, '--store', `store-${seed}`, '--quiet'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
  } finally {
    await sim.stop();
  }
}

describe('gates', () => {
  it('A/A: runs of the same configuration with different run seeds never fail a gate', async () => {
    const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2', 'v3'] }) });
    for (const [a, b] of [
      [1, 2],
      [3, 4],
      [5, 6],
    ] as const) {
      await runWithSeed(root, a, `base-${a}`);
      await runWithSeed(root, b, `run-${b}`);
      const bu = await runCli(['baseline', 'update', `base-${a}`, '--out', `baselines/aa-${a}.json`], { cwd: root });
      expect(bu.code).toBe(0);
      // 80 items cannot detect a 5-point drop: said when the baseline is made, with the size needed.
      expect(bu.stderr).toMatch(/warning: rules\[\d+\] regression json_strict_rate: a 5\.0% margin is below what 80 items can detect \(MDE ≥ \d+\.\d% .*about \d+ items per group would be needed/);
      const g = await runCli(['gate', `run-${b}`, '--baseline', `baselines/aa-${a}.json`, '--json'], { cwd: root });
      expect(g.code, g.stdout + g.stderr).toBe(0);
      const gate = JSON.parse(readFileSync(join(root, `run-${b}`, 'gate.json'), 'utf8')) as { verdicts: Array<{ verdict: string; kind: string }> };
      expect(gate.verdicts.filter((v) => v.verdict === 'fail')).toEqual([]);
      expect(gate.verdicts.some((v) => v.kind === 'regression')).toBe(true);
    }
  }, 180_000);

  it('fails a planted regression on the named metric, refuses a mismatched baseline unless told, writes junit and the step summary', async () => {
    const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
    await runWithSeed(root, 1, 'before');
    expect((await runCli(['baseline', 'update', 'before'], { cwd: root })).code).toBe(0);
    // The planted change: v2 loses "JSON only, no code fences" (Gemma then fences ~20% of answers).
    const user = join(root, 'prompts/candidate-screening/v2/user.hbs');
    writeFileSync(user, readFileSync(user, 'utf8').replace('Respond with JSON only — no code fences, no text before or after. ', 'Respond in JSON. '));
    const lock = join(root, 'prompts/candidate-screening/prompts.lock.json');
    const locked = JSON.parse(readFileSync(lock, 'utf8')) as Record<string, string>;
    delete locked.v2; // as if v2 were a draft under review
    writeFileSync(lock, JSON.stringify(locked));
    await runWithSeed(root, 1, 'after');

    const refused = await runCli(['gate', 'after'], { cwd: root });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/baselines\/candidate-screening\.json: the baseline does not match this run: prompt candidate-screening@v2 text differs/);

    const summary = join(root, 'step-summary.md');
    const g = await runCli(['gate', 'after', '--allow-mismatch'], { cwd: root, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(g.code).toBe(1);
    // The first lines say the verdict and the counts, inconclusive ones included.
    expect(g.stdout.split('\n').slice(0, 3).join('\n')).toMatch(/qualbench gates: candidate-screening — FAILED\n\n\*\*\d+ gates: \d+ pass, [1-9]\d* fail, \d+ inconclusive\.\*\*/);
    GateReport.parse(JSON.parse(readFileSync(join(root, 'after/gate.json'), 'utf8')));
    const gate = JSON.parse(readFileSync(join(root, 'after/gate.json'), 'utf8')) as { passed: boolean; baseline: string; verdicts: Array<{ verdict: string; kind: string; metric: string; difference: number | null }> };
    expect(gate.passed).toBe(false);
    expect(gate.baseline).toMatch(/MISMATCHED/);
    const failed = gate.verdicts.filter((v) => v.verdict === 'fail');
    expect(failed.map((v) => `${v.kind} ${v.metric}`)).toContain('regression json_strict_rate');
    expect(failed.find((v) => v.kind === 'regression' && v.metric === 'json_strict_rate')!.difference!).toBeLessThan(-0.1);
    const junit = readFileSync(join(root, 'after/junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="qualbench\.candidate-screening" tests="\d+" failures="[1-9]\d*">/);
    expect(junit).toMatch(/<testcase classname="qualbench\.candidate-screening\.google\/gemma-3-4b-it\.v2" name="regression json_strict_rate"><failure/);
    expect(readFileSync(summary, 'utf8')).toMatch(/qualbench gates: candidate-screening — FAILED/);
  }, 120_000);

  it('--ci gates after the eval and answers in JSON; a threshold of 95 is refused', async () => {
    const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const r = await runCli(['eval', '--ci', '--sample', '40', '--model', MODEL, '--out', 'ci', '--base-url', sim.baseURL, '--store', 'store'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; passed?: boolean });
      expect(lines.map((l) => l.event)).toEqual(['eval-done', 'gate']);
      expect(lines[1]!.passed).toBe(true);
      expect(existsSync(join(root, 'ci/junit.xml'))).toBe(true);

      const evalFile = join(root, 'evals/candidate-screening.json');
      const def = JSON.parse(readFileSync(evalFile, 'utf8'));
      def.gates.rules[0].min = 95;
      writeFileSync(evalFile, JSON.stringify(def, null, 2));
      // `gate` judges a run by the gates recorded in its manifest, so the edited eval is refused when a run starts.
      const bad = await runCli(['eval', '--ci', '--sample', '40', '--model', MODEL, '--out', 'ci2', '--base-url', sim.baseURL, '--store', 'store'], { cwd: root });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/evals\/candidate-screening\.json:\d+: field `gates\.rules\.0\.min`: thresholds are shares on the 0\.\.1 scale: write 0\.95, not 95/);
    } finally {
      await sim.stop();
    }
  });

  it('eval --sequential: nested looks reuse the store, stop once nothing is inconclusive, and catch a planted regression early', async () => {
    const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
    const sim = await spawnSimulator(['--speed', 'instant', '--run-seed', '1']);
    try {
      const base = await runCli(['eval', '--sample', '160', '--model', MODEL, '--out', 'base', '--base-url', sim.baseURL, '--store', 'store-base', '--quiet'], { cwd: root });
      expect(base.code, base.stderr).toBe(0);
      expect((await runCli(['baseline', 'update', 'base'], { cwd: root })).code).toBe(0);
    } finally {
      await sim.stop();
    }
    type Line = { event: string; look?: number; sent?: number; cached?: number; stop?: boolean; counts?: { fail: number; inconclusive: number }; passed?: boolean; sequential?: { looks_used: number; looks_planned: number; requests_sent: number } };
    const seq = async (out: string, runSeed: number) => {
      const s = await spawnSimulator(['--speed', 'instant', '--run-seed', String(runSeed)]);
      try {
        const r = await runCli(['eval', '--sequential', '--looks', '40,80,160', '--model', MODEL, '--out', out, '--base-url', s.baseURL, '--store', `store-${out}`], { cwd: root });
        return { code: r.code, stderr: r.stderr, lines: r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line) };
      } finally {
        await s.stop();
      }
    };
    // A/A (another run seed): never fails; each look sends only the items the previous one did not have.
    const aa = await seq('aa', 2);
    expect(aa.code, aa.stderr).toBe(0);
    const looks = aa.lines.filter((l) => l.event === 'look');
    const gate = aa.lines.at(-1)!;
    expect(gate.event).toBe('gate');
    expect(gate.passed).toBe(true);
    expect(gate.sequential!.looks_used).toBe(looks.length);
    expect(gate.sequential!.looks_planned).toBe(3);
    looks.forEach((l, i) => {
      expect(l.look).toBe(i + 1);
      expect(l.counts!.fail).toBe(0);
      expect(l.sent! + l.cached!).toBe([40, 80, 160][i]);
      if (i > 0) expect(l.cached).toBe([40, 80, 160][i - 1]); // nested: every earlier answer from the store
      expect(l.stop).toBe(i === looks.length - 1);
      if (!l.stop) expect(l.counts!.inconclusive).toBeGreaterThan(0);
    });
    expect(gate.sequential!.requests_sent).toBe(looks.reduce((a, l) => a + l.sent!, 0));
    expect(readFileSync(join(root, `aa/look-${looks.length}/gate.json`), 'utf8')).toMatch(/"looks": 3/);
    expect(readFileSync(join(root, 'aa/junit.xml'), 'utf8')).toBe(readFileSync(join(root, `aa/look-${looks.length}/junit.xml`), 'utf8'));

    // The planted change of the test above (v2 without "JSON only"): fails, and by a look before the last.
    const user = join(root, 'prompts/candidate-screening/v2/user.hbs');
    writeFileSync(user, readFileSync(user, 'utf8').replace('Respond with JSON only — no code fences, no text before or after. ', 'Respond in JSON. '));
    const lock = join(root, 'prompts/candidate-screening/prompts.lock.json');
    const locked = JSON.parse(readFileSync(lock, 'utf8')) as Record<string, string>;
    delete locked.v2;
    writeFileSync(lock, JSON.stringify(locked));
    // v2's text changed, so the baseline's prompt hash no longer matches (a usage error); drop the hashes so the run is compared anyway.
    const bl = JSON.parse(readFileSync(join(root, 'baselines/candidate-screening.json'), 'utf8')) as { groups: Array<{ prompt_sha256: string | null }> };
    for (const g of bl.groups) g.prompt_sha256 = null;
    writeFileSync(join(root, 'baselines/candidate-screening.json'), JSON.stringify(bl));
    const bad = await seq('bad', 2);
    expect(bad.code, bad.stderr).toBe(1);
    const last = bad.lines.at(-1)!;
    expect(last.passed).toBe(false);
    expect(last.sequential!.looks_used).toBeLessThan(3);
    expect((last as unknown as { failed: string[] }).failed.some((f) => f.includes('regression: json_strict_rate google/gemma-3-4b-it v2'))).toBe(true);
    expect(bad.stderr).toMatch(/sequential: 3 planned looks, each at alpha 0\.05 ÷ 3/);
  }, 180_000);

  it('a draft v4 is gated against the latest released v3 of the same model in the same run; groups without a baseline are named first', async () => {
    const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v3', 'v4'] }) });
    expect((await runCli(['prompts', 'new', 'candidate-screening'], { cwd: root })).code).toBe(0);
    const user = join(root, 'prompts/candidate-screening/v4/user.hbs');
    const text = readFileSync(user, 'utf8');
    expect(text).toContain('JSON');
    // The draft never says "JSON" any more (Gemma then answers in Markdown most of the time).
    writeFileSync(user, text.replaceAll('JSON', 'answer'));
    await runWithSeed(root, 1, 'draft');
    const g = await runCli(['gate', 'draft'], { cwd: root });
    expect(g.code, g.stdout + g.stderr).toBe(1);
    const head = g.stdout.split('\n').slice(0, 12).join('\n');
    expect(head).toMatch(/FAILED/);
    expect(head).toMatch(/regression json_strict_rate, schema_valid_rate, follows_instructions, recommendation_exact \(rules\[3\], rules\[4\], rules\[5\], rules\[6\]\) not checked for google\/gemma-3-4b-it v4: no baseline file; add one with `qualbench baseline update <run-dir>`/);
    const gate = GateReport.parse(JSON.parse(readFileSync(join(root, 'draft/gate.json'), 'utf8')));
    const v = gate.verdicts.find((x) => x.kind === 'regression' && x.metric === 'json_strict_rate' && x.prompt_version === 'v4')!;
    expect([v.reference, v.verdict]).toEqual(['v3', 'fail']);
    expect(v.discordant!.b).toBeGreaterThan(v.discordant!.c);
    // The released v3 is not gated against itself.
    expect(gate.verdicts.some((x) => x.kind === 'regression' && x.prompt_version === 'v3')).toBe(false);
  }, 120_000);

  it('compare: per-metric differences with intervals and the flipped items, v1 vs v3', async () => {
    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const v1 = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v1'] }) });
      const common = ['--sample', '40', '--model', 'meta-llama/Llama-3.2-1B-Instruct', '--base-url', sim.baseURL, '--store', 'store', '--quiet'];
      expect((await runCli(['eval', ...common, '--out', 'a'], { cwd: v1 })).code).toBe(0);
      const evalFile = join(v1, 'evals/candidate-screening.json');
      writeFileSync(evalFile, readFileSync(evalFile, 'utf8').replace('"v1"', '"v3"'));
      expect((await runCli(['eval', ...common, '--out', 'b'], { cwd: v1 })).code).toBe(0);
      const r = await runCli(['compare', 'a', 'b', '--json'], { cwd: v1 });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { groups: Array<{ a: string; b: string; items: number; metrics: Array<{ metric: string; difference: number; ci: { lo: number; hi: number } }>; flipped: Array<{ id: string; change: string }> }> };
      expect(out.groups).toHaveLength(1);
      // Same server, dataset and sampling: nothing to warn about.
      expect((out as unknown as { environment_differences: string[] }).environment_differences).toEqual([]);
      const g = out.groups[0]!;
      expect([g.a, g.b, g.items]).toEqual(['v1', 'v3', 40]);
      const strict = g.metrics.find((m) => m.metric === 'json_strict_rate')!;
      expect(strict.difference).toBeGreaterThan(0.2);
      expect(strict.ci.lo).toBeGreaterThan(0);
      expect(g.flipped.some((f) => f.change === 'newly valid')).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
