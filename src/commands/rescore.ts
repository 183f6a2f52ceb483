import { relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { rescoreRun } from '../rescore.ts';
import { parse } from './shared.ts';
import { help } from './help.ts';
import { incompleteLine } from '../usecases/completeness.ts';

/** `qualbench rescore <run-dir>` */
export async function cmdRescore(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  const dir = positionals[0];
  if (!dir) throw new UserError('name the run directory to re-score', { hint: 'qualbench rescore runs/<run>' });
  const runDir = resolve(dir);
  const summary = await rescoreRun(process.cwd(), runDir);
  const trust = summary.trust!;
  const partial = incompleteLine(trust);
  if (values.json) process.stdout.write(JSON.stringify({ event: 'rescore-done', run_dir: runDir, complete: trust.complete, expected: trust.expected, missing: trust.missing, errored: trust.errored, warnings: trust.warnings }) + '\n');
  else {
    // First: a re-scored partial run must not read as a finished one.
    if (partial) process.stdout.write(`${partial.replace(/^incomplete/, 'INCOMPLETE')}: the scores cover only what was recorded; gate and baseline update will refuse it without --allow-partial.\n`);
    process.stdout.write(`Re-scored ${relative(process.cwd(), runDir) || runDir}: scores.jsonl, summary.json, report.md rewritten; nothing sent.\n`);
  }
  return EXIT.ok;
}
