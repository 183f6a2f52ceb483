import { refuseLinks } from '../core/run-dir.ts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { GATE_METRICS } from '../core/gate-records.ts';
import { RUN_FILES, RunManifest, ScoreRecord } from '../core/records.ts';
import { readJsonFile } from '../core/json-file.ts';
import { differences } from '../report/combine-runs.ts';
import { readJsonl } from '../core/jsonl.ts';
import { readGroupValues } from '../gate/item-values.ts';
import { pairedChange } from '../aggregate/paired.ts';
import { loadRunTask } from '../run-task.ts';
import { parse } from './shared.ts';
import { help } from './help.ts';
import { incompleteLine } from '../usecases/completeness.ts';
import { trustOfRun } from '../aggregate/trust.ts';

/** Each answer's primary label (the run's task declares which), by (model, prompt version, item). */
async function primaryLabels(runDir: string, primary: string): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for await (const { value } of readJsonl(join(runDir, RUN_FILES.scores), ScoreRecord)) {
    out.set(`${value.model}\u0000${value.prompt_version}\u0000${value.item_id}`, value.prediction?.[primary] ?? null);
  }
  return out;
}

/**
 * `qualbench compare <run-a> <run-b> [--json]`: per (model, prompt version) present in both, the
 * difference of each metric (b - a) with a seeded paired bootstrap 95% interval, and the items that
 * flipped (the task's primary label changed, newly invalid, newly valid). For prompt A/B work.
 */
export async function cmdCompare(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  const [a, b] = positionals.map((p) => resolve(p));
  if (!a || !b) throw new UserError('name two run directories', { hint: 'qualbench compare runs/<a> runs/<b>' });
  for (const d of [a, b]) refuseLinks(d);
  for (const d of [a, b]) if (!existsSync(join(d, RUN_FILES.scores))) throw new UserError('not a finished run (no scores.jsonl)', { file: d });
  // Missing or failed items first: a comparison over a partial run says so before any delta.
  const partial: string[] = [];
  for (const [name, d] of [['a', a], ['b', b]] as const) {
    const line = incompleteLine(await trustOfRun(join(d, RUN_FILES.scores), readJsonFile(join(d, RUN_FILES.manifest), RunManifest)));
    if (line) partial.push(`${name} (${d}): ${line}`);
  }
  if (!values.json) for (const line of partial) process.stdout.write(`INCOMPLETE RUN ${line}; the comparison covers only items answered in both.\n`);
  const primary = loadRunTask(process.cwd(), readJsonFile(join(a, RUN_FILES.manifest), RunManifest)).definition.primary_label;
  const [ga, gb, ra, rb] = await Promise.all([readGroupValues(join(a, RUN_FILES.scores)), readGroupValues(join(b, RUN_FILES.scores)), primaryLabels(a, primary), primaryLabels(b, primary)]);
  // Pair groups by model and prompt version, or by model alone when each run has one version (v2 vs v3).
  const pairs: Array<[string, string]> = [];
  for (const key of ga.keys()) if (gb.has(key)) pairs.push([key, key]);
  if (pairs.length === 0) {
    for (const [ka, x] of ga) for (const [kb, y] of gb) if (x.model === y.model) pairs.push([ka, kb]);
  }
  if (pairs.length === 0) {
    const groups = (g: typeof ga) => [...g.values()].map((x) => `${x.model} ${x.prompt_version}`).join(', ') || 'none';
    throw new UserError('the two runs have no model in common: nothing to compare item by item', {
      hint: `a has ${groups(ga)}; b has ${groups(gb)}. Compare runs of the same model (or use \`qualbench report a b --out DIR\` to put different models side by side).`,
    });
  }
  const report: Array<Record<string, unknown>> = [];
  for (const [ka, kb] of pairs) {
    const x = ga.get(ka)!;
    const y = gb.get(kb)!;
    const common = [...x.items.keys()].filter((id) => y.items.has(id)).sort();
    const metrics = GATE_METRICS.map((m, i) => {
      const c = pairedChange(common.map((id) => [x.items.get(id)![i]!, y.items.get(id)![i]!] as const), 1 + i);
      return { metric: m, a: c.before, b: c.after, difference: c.delta, ci: c.ci, n: c.n };
    });
    const flipped: Array<{ id: string; change: string }> = [];
    const schema = GATE_METRICS.indexOf('schema_valid_rate');
    for (const id of common) {
      const recA = ra.get(`${ka}\u0000${id}`) ?? null;
      const recB = rb.get(`${kb}\u0000${id}`) ?? null;
      const va = x.items.get(id)![schema]!;
      const vb = y.items.get(id)![schema]!;
      if (va === 1 && vb === 0) flipped.push({ id, change: 'newly invalid' });
      else if (va === 0 && vb === 1) flipped.push({ id, change: 'newly valid' });
      else if (recA !== recB) flipped.push({ id, change: `${primary} ${recA ?? 'none'} -> ${recB ?? 'none'}` });
    }
    report.push({ model: x.model, a: x.prompt_version, b: y.prompt_version, items: common.length, metrics, flipped });
  }
  // Runs measured in different environments are labelled as such.
  const envDiffs = differences([
    { label: 'a', manifest: readJsonFile(join(a, RUN_FILES.manifest), RunManifest) },
    { label: 'b', manifest: readJsonFile(join(b, RUN_FILES.manifest), RunManifest) },
  ]);
  if (values.json) {
    process.stdout.write(JSON.stringify({ event: 'compare', a, b, incomplete: partial, environment_differences: envDiffs, groups: report }) + '\n');
    return EXIT.ok;
  }
  if (envDiffs.length) process.stdout.write(`Note: the runs were measured in different environments:\n${envDiffs.map((d) => `  ${d}\n`).join('')}`);
  const pct = (v: unknown) => (typeof v === 'number' ? `${(100 * v).toFixed(1)}%` : 'n/a');
  for (const g of report) {
    process.stdout.write(`\n${g.model}: ${g.a} (a) vs ${g.b} (b), ${g.items} items in both\n`);
    for (const m of g.metrics as Array<{ metric: string; a: number | null; b: number | null; difference: number | null; ci: { lo: number; hi: number } | null }>) {
      process.stdout.write(`  ${m.metric.padEnd(22)} ${pct(m.a).padStart(7)} -> ${pct(m.b).padStart(7)}  Δ ${m.difference === null ? 'n/a' : `${m.difference >= 0 ? '+' : ''}${(100 * m.difference).toFixed(1)} pts`} (95% ${pct(m.ci?.lo)} .. ${pct(m.ci?.hi)})\n`);
    }
    const flips = g.flipped as Array<{ id: string; change: string }>;
    process.stdout.write(`  ${flips.length} items flipped${flips.length ? ':' : ''}\n`);
    for (const f of flips.slice(0, 15)) process.stdout.write(`    ${f.id}: ${f.change}\n`);
    if (flips.length > 15) process.stdout.write(`    … ${flips.length - 15} more (--json for all)\n`);
  }
  return EXIT.ok;
}
