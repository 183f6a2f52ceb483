import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { RUN_FILES, RunManifest } from '../core/records.ts';
import { readJsonFile } from '../core/json-file.ts';
import type { GateVerdict } from '../core/gate-records.ts';
import { loadEval } from '../load/load-eval.ts';
import { readGroupValues } from '../gate/item-values.ts';
import { evaluateGates, type GateOutcome } from '../gate/gate-run.ts';
import { baselineMismatches, parseBaseline } from '../gate/baseline.ts';
import { junitXml } from '../gate/junit.ts';
import { parse } from './shared.ts';
import { incompleteLine, requireComplete } from './completeness.ts';
import { help } from './help.ts';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);

function markdown(evalName: string, outcome: GateOutcome, baselineLabel: string): string {
  const icon = (v: GateVerdict) => (v.verdict === 'pass' ? '✅ pass' : v.verdict === 'fail' ? '❌ fail' : '⚠️ inconclusive');
  const rows = outcome.verdicts.map(
    (v) =>
      `| ${icon(v)} | ${v.kind} | ${v.metric} | ${v.model} | ${v.prompt_version} | ${pct(v.observed)} | ${v.ci ? `${v.kind === 'regression' ? 'Δ ' : ''}${pct(v.ci.lo)} .. ${pct(v.ci.hi)}` : ''} | ${v.kind === 'floor' ? `≥ ${pct(v.threshold)}` : `drop ≤ ${pct(v.threshold)}`} | ${v.baseline === null ? '' : pct(v.baseline)} | ${v.p_value === null ? '' : v.p_value.toPrecision(3)} | ${v.n} |`,
  );
  return [
    `## qualbench gates: ${evalName} — ${outcome.passed ? 'passed' : 'FAILED'}`,
    '',
    `Baseline: ${baselineLabel}`,
    ...outcome.warnings.map((w) => `> ${w}`),
    '',
    '| verdict | kind | metric | model | prompt | observed | 95% interval | threshold | baseline | p (Holm) | n |',
    '|---|---|---|---|---|--:|--:|--:|--:|--:|--:|',
    ...rows,
    '',
  ].join('\n');
}

export interface GateOptions {
  baseline?: string;
  allowMismatch?: boolean;
  /** Gate a run with missing or failed items anyway (labelled PARTIAL). */
  allowPartial?: boolean;
}

/**
 * Check a run directory against its eval's gates and a baseline; writes gate.json and junit.xml
 * into the run, appends Markdown to $GITHUB_STEP_SUMMARY when set. Returns the exit code.
 */
export async function runGate(root: string, runDir: string, opts: GateOptions, say: (s: string) => void): Promise<{ code: number; outcome: GateOutcome }> {
  const mf = join(runDir, RUN_FILES.manifest);
  if (!existsSync(mf) || !existsSync(join(runDir, RUN_FILES.scores))) throw new UserError('not a finished run (needs manifest.json and scores.jsonl)', { file: relative(root, runDir) || runDir });
  const manifest = readJsonFile(mf, RunManifest);
  const trust = await requireComplete(root, runDir, manifest, 'gate', opts.allowPartial);
  const partial = incompleteLine(trust);
  const loaded = loadEval(root, manifest.eval.name);
  const gates = loaded.definition.gates;
  if (!gates) throw new UserError('the eval defines no gates', { file: loaded.file, field: 'gates', hint: 'Add "gates": {"rules": [{"metric": "json_strict_rate", "min": 0.9}]} (see README, CI gating).' });
  const baselineFile = opts.baseline ? resolve(root, opts.baseline) : join(root, 'baselines', `${manifest.eval.name}.json`);
  let baseline = null;
  let label = 'none (floors only)';
  if (existsSync(baselineFile)) {
    baseline = parseBaseline(JSON.parse(readFileSync(baselineFile, 'utf8')), relative(root, baselineFile));
    label = relative(root, baselineFile);
    const mismatch = baselineMismatches(baseline, manifest);
    if (mismatch.length && !opts.allowMismatch) {
      throw new UserError(`the baseline does not match this run: ${mismatch.join('; ')}`, {
        file: relative(root, baselineFile),
        hint: 'Update it from a run of the new version (`qualbench baseline update <run-dir>`), or pass --allow-mismatch to compare anyway (labelled in the output).',
      });
    }
    if (mismatch.length) label += ` — MISMATCHED, compared anyway: ${mismatch.join('; ')}`;
  } else if (opts.baseline) {
    throw new UserError('baseline file not found', { file: opts.baseline, field: '--baseline' });
  }
  const outcome = evaluateGates(gates, await readGroupValues(join(runDir, RUN_FILES.scores)), baseline, loaded.definition.seed);
  if (partial) outcome.warnings.unshift(`PARTIAL DATA (--allow-partial): ${partial}; the verdicts below judge only the recorded items.`);
  const inconclusiveFails = gates.policy.inconclusive === 'fail';
  writeFileSync(join(runDir, 'gate.json'), JSON.stringify({ passed: outcome.passed, ...(partial ? { partial } : {}), baseline: label, warnings: outcome.warnings, verdicts: outcome.verdicts }, null, 2) + '\n');
  writeFileSync(join(runDir, 'junit.xml'), junitXml(`qualbench.${manifest.eval.name}`, outcome.verdicts, inconclusiveFails));
  const md = markdown(manifest.eval.name, outcome, label);
  const summaryFile = readEnv().githubStepSummary;
  if (summaryFile) appendFileSync(summaryFile, md + '\n');
  say(md);
  return { code: outcome.passed ? EXIT.ok : EXIT.gateFailed, outcome };
}

/** `qualbench gate <run-dir> [--baseline FILE] [--allow-mismatch] [--json]` */
export async function cmdGate(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { baseline: { type: 'string' }, 'allow-mismatch': { type: 'boolean' }, 'allow-partial': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  if (!positionals[0]) throw new UserError('name the run directory to gate', { hint: 'qualbench gate runs/<run> [--baseline baselines/<eval>.json]' });
  const runDir = resolve(positionals[0]);
  const { code, outcome } = await runGate(process.cwd(), runDir, { baseline: values.baseline, allowMismatch: values['allow-mismatch'], allowPartial: values['allow-partial'] }, (s) => {
    if (!values.json) process.stdout.write(s + '\n');
  });
  if (values.json) process.stdout.write(JSON.stringify({ event: 'gate', passed: outcome.passed, failed: outcome.verdicts.filter((v) => v.verdict === 'fail').map((v) => v.gate), junit: join(runDir, 'junit.xml') }) + '\n');
  return code;
}
