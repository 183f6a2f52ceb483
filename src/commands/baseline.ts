import { refuseLinks } from '../core/run-dir.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { RUN_FILES, RunManifest } from '../core/records.ts';
import { readJsonFile } from '../core/json-file.ts';
import { readGroupValues } from '../gate/item-values.ts';
import { buildBaseline } from '../gate/baseline.ts';
import { marginWarnings } from '../gate/gate-run.ts';
import { loadEval } from '../load/load-eval.ts';
import { parse } from './shared.ts';
import { incompleteLine, requireComplete } from '../usecases/completeness.ts';
import { help } from './help.ts';

/** `qualbench baseline update <run-dir> [--out FILE]`: write the committed baseline from a finished run. */
export async function cmdBaseline(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { out: { type: 'string' }, 'allow-partial': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  if (sub !== 'update' || !positionals[0]) throw new UserError('usage: qualbench baseline update <run-dir> [--out baselines/<eval>.json]');
  const root = process.cwd();
  const runDir = resolve(positionals[0]);
  const mf = join(runDir, RUN_FILES.manifest);
  if (!existsSync(mf) || !existsSync(join(runDir, RUN_FILES.scores))) throw new UserError('not a finished run (needs manifest.json and scores.jsonl)', { file: positionals[0] });
  refuseLinks(runDir, positionals[0]);
  const manifest = readJsonFile(mf, RunManifest);
  const partial = incompleteLine(await requireComplete(root, runDir, manifest, 'baseline update', values['allow-partial']));
  if (partial) process.stderr.write(`PARTIAL DATA (--allow-partial): ${partial}; the baseline holds only the recorded items.\n`);
  const baseline = buildBaseline(manifest, await readGroupValues(join(runDir, RUN_FILES.scores)));
  const out = resolve(root, values.out ?? join('baselines', `${manifest.eval.name}.json`));
  mkdirSync(dirname(out), { recursive: true });
  // One group per line block and one item per line: a reviewer reads the change in a diff.
  writeFileSync(out, JSON.stringify(baseline, null, 1) + '\n');
  process.stdout.write(`Baseline written: ${relative(root, out)} (${baseline.groups.length} groups, ${baseline.groups.reduce((a, g) => a + Object.keys(g.items).length, 0)} items). Commit it.\n`);
  // Margins this baseline's sample cannot detect: say so now, not after a regression slipped through.
  let gates = null;
  try {
    gates = loadEval(root, manifest.eval.name).definition.gates ?? null;
  } catch {
    // The eval is not in this folder: the baseline is written, only the margin check is skipped.
  }
  if (gates) {
    for (const w of marginWarnings(gates, baseline.groups.map((g) => ({ model: g.model, prompt_version: g.prompt_version, n: Object.keys(g.items).length })))) {
      process.stderr.write(`warning: ${w}\n`);
    }
  }
  return EXIT.ok;
}
