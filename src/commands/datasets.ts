import { EXIT, UserError } from '../core/errors.ts';
import { loadDataset, sampleRows } from '../load/load-dataset.ts';
import { datasetStats } from '../load/dataset-stats.ts';
import { listEvals, loadEval } from '../load/load-eval.ts';
import { loadEvalTask, stratifyLabel } from '../run-task.ts';
import { intOption, parse } from './shared.ts';

/** The stratification of the first eval that uses this dataset (its task's `stratify` label), if any. */
function stratificationOf(root: string, dataset: string) {
  for (const name of listEvals(root)) {
    const def = loadEval(root, name).definition;
    if (def.dataset === dataset) {
      const task = loadEvalTask(root, def);
      return { name: task.definition.stratify, by: stratifyLabel(task) };
    }
  }
  return null;
}

/** `qualbench datasets stats [NAME]` */
export async function cmdDatasets(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'stats') throw new UserError(`unknown datasets command \`${sub ?? ''}\``, { hint: 'qualbench datasets stats [NAME] [--sample N] [--seed N] [--json]' });
  const { values, positionals } = parse(rest, { sample: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } });
  const name = positionals[0] ?? 'candidates-golden';
  const ds = await loadDataset(process.cwd(), name);
  const n = intOption('sample', values.sample);
  const strat = stratificationOf(process.cwd(), name);
  const rows = n ? sampleRows(ds.rows, n, intOption('seed', values.seed, 0) ?? 1, strat?.by) : ds.rows;
  const stats = datasetStats(rows, strat?.by);
  if (values.json) {
    process.stdout.write(JSON.stringify({ dataset: name, version: ds.manifest.version, sha256: ds.manifest.sha256, ...stats }) + '\n');
    return EXIT.ok;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);
  const lines = [
    `${name}@${ds.manifest.version}  ${ds.manifest.sha256.slice(0, 12)}  ${stats.rows} rows${n ? ` (sample of ${ds.total}, stratified)` : ''}`,
    '',
    `${(strat?.name ?? 'class').padEnd(14)}   rows  share`,
    ...stats.classes.map((c) => `${c.value.padEnd(14)} ${String(c.rows).padStart(6)} ${pct(c.share)}`),
    '',
    'stratum              rows  share',
    ...stats.strata.map((s) => `${s.stratum.padEnd(18)} ${String(s.rows).padStart(6)} ${pct(s.share)}`),
    '',
    `profile tokens (≈ chars/4): min ${stats.profileTokens.min}, median ${stats.profileTokens.p50}, p90 ${stats.profileTokens.p90}, max ${stats.profileTokens.max}, mean ${stats.profileTokens.mean}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}
