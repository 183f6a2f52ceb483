/**
 * The gate use case: check a run against the gates it was run with (recorded in its manifest; older runs:
 * the eval's) and a baseline, and write gate.json and junit.xml. Commands `gate` and `eval --ci` call it.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { refuseLinks } from '../core/run-dir.ts';
import { join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { RUN_FILES, RunManifest } from '../core/records.ts';
import { readJsonFile } from '../core/json-file.ts';
import { GateReport, type GateVerdict } from '../core/gate-records.ts';
import { readPromptLock } from '../load/load-prompts.ts';
import { loadEval } from '../load/load-eval.ts';
import { readGroupValues } from '../gate/item-values.ts';
import { evaluateGates, type GateOutcome } from '../gate/gate-run.ts';
import { baselineMismatches, parseBaseline } from '../gate/baseline.ts';
import { junitXml } from '../gate/junit.ts';
import { incompleteLine, requireComplete } from './completeness.ts';

const level = (x: number) => `${Number((100 * x).toFixed(2))}%`;
const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);

/** The first lines of every gate output: the verdict, the counts (inconclusive named, never hidden) and what was not checked. */
export function headline(evalName: string, outcome: GateOutcome, inconclusive: 'pass' | 'fail'): string[] {
  const { pass, fail, inconclusive: inc } = outcome.counts;
  const total = pass + fail + inc;
  const lines = [`## qualbench gates: ${evalName} — ${outcome.passed ? 'passed' : 'FAILED'}`, ''];
  // Judging partial data is said before anything else (the warning is put first by runGate).
  const partial = outcome.warnings.find((w) => w.startsWith('PARTIAL DATA'));
  if (partial) lines.push(`**${partial}**`, '');
  lines.push(
    `**${total} gates: ${pass} pass, ${fail} fail, ${inc} inconclusive.**` +
      (inc ? (inconclusive === 'pass' ? ` The policy (\`gates.policy.inconclusive: pass\`) lets the ${inc} inconclusive gate(s) through: they neither showed a regression nor ruled one out.` : ` The policy (\`gates.policy.inconclusive: fail\`) fails them.`) : ''),
  );
  if (outcome.unchecked.length) lines.push('', `**${outcome.unchecked.length} group(s) not checked:**`, ...outcome.unchecked.map((u) => `- ${u}`));
  return lines;
}

function markdown(evalName: string, outcome: GateOutcome, baselineLabel: string, inconclusive: 'pass' | 'fail', alpha: number, correction: string): string {
  const icon = (v: GateVerdict) => (v.verdict === 'pass' ? '✅ pass' : v.verdict === 'fail' ? '❌ fail' : '⚠️ inconclusive');
  const rows = outcome.verdicts.map(
    (v) =>
      `| ${icon(v)} | ${v.kind} | ${v.metric} | ${v.model} | ${v.prompt_version} | ${v.reference ?? ''} | ${pct(v.observed)} | ${v.ci ? `${v.kind === 'regression' ? 'Δ ' : ''}${pct(v.ci.lo)} .. ${pct(v.ci.hi)}` : ''} | ${v.kind === 'floor' ? `≥ ${pct(v.threshold)}` : `drop ≤ ${pct(v.threshold)}`} | ${v.baseline === null ? '' : pct(v.baseline)} | ${v.discordant ? `${v.discordant.b} / ${v.discordant.c}` : ''} | ${v.p_value === null ? '' : v.p_value.toPrecision(3)} | ${v.mde === null ? '' : `${pct(v.mde)}${v.needed_n !== null ? ` (n ≥ ${v.needed_n})` : ''}`} | ${v.n} |`,
  );
  return [
    ...headline(evalName, outcome, inconclusive),
    '',
    `Baseline: ${baselineLabel}`,
    ...outcome.warnings.map((w) => `> ${w}`),
    '',
    `Intervals: floors Wilson (95%, wider under sequential looks); regressions the paired difference (now − reference), ${level(1 - 2 * alpha)} Newcombe (its lower end is the one-sided ${level(1 - alpha)} bound). p: one-sided exact McNemar, ${correction}. MDE: smallest drop (or shortfall below a floor) detected with power 0.8 at this n.`,
    '',
    '| verdict | kind | metric | model | prompt | vs | observed | interval | threshold | reference | newly failing / passing | p (corrected) | MDE | n |',
    '|---|---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
    '',
  ].join('\n');
}

/** Read and check a baseline file: bad JSON, merge-conflict markers or a wrong shape name the file and line. */
export function readBaselineFile(root: string, file: string) {
  const shown = relative(root, file) || file;
  return parseBaseline(readJsonFile(file, z.unknown(), 'Re-create it with `qualbench baseline update <run-dir>`.', shown), shown);
}

export interface GateOptions {
  baseline?: string;
  allowMismatch?: boolean;
  /** Gate a run with missing or failed items anyway (labelled PARTIAL). */
  allowPartial?: boolean;
  /** Planned looks of a sequential eval (alpha is split over them). */
  looks?: number;
}

/**
 * Check a run directory against its eval's gates and a baseline; writes gate.json and junit.xml
 * into the run, appends Markdown to $GITHUB_STEP_SUMMARY when set. Returns the exit code.
 */
export async function runGate(root: string, runDir: string, opts: GateOptions, say: (s: string) => void): Promise<{ code: number; outcome: GateOutcome }> {
  const mf = join(runDir, RUN_FILES.manifest);
  if (!existsSync(mf) || !existsSync(join(runDir, RUN_FILES.scores))) throw new UserError('not a finished run (needs manifest.json and scores.jsonl)', { file: relative(root, runDir) || runDir });
  refuseLinks(runDir, relative(root, runDir) || runDir);
  const manifest = readJsonFile(mf, RunManifest);
  const trust = await requireComplete(root, runDir, manifest, 'gate', opts.allowPartial);
  const partial = incompleteLine(trust);
  // The gates the run was made with; a run from before manifests recorded them uses the eval's today.
  const gates = manifest.gates ?? loadEval(root, manifest.eval.name).definition.gates;
  if (!gates) throw new UserError('the eval defines no gates', { file: manifest.eval.file, field: 'gates', hint: 'Add "gates": {"rules": [{"metric": "json_strict_rate", "min": 0.9}]} (see README, CI gating).' });
  const baselineFile = opts.baseline ? resolve(root, opts.baseline) : join(root, 'baselines', `${manifest.eval.name}.json`);
  let baseline = null;
  let label = 'none (floors only)';
  if (existsSync(baselineFile)) {
    baseline = readBaselineFile(root, baselineFile);
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
  const released = Object.keys(readPromptLock(root, manifest.prompt.name));
  const outcome = evaluateGates(gates, await readGroupValues(join(runDir, RUN_FILES.scores)), baseline, { released, looks: opts.looks });
  if (partial) outcome.warnings.unshift(`PARTIAL DATA (--allow-partial): ${partial}; the verdicts below judge only the recorded items.`);
  const inconclusiveFails = gates.policy.inconclusive === 'fail';
  const report = GateReport.parse({
    passed: outcome.passed,
    ...(partial ? { partial } : {}),
    baseline: label,
    policy: gates.policy,
    alpha: gates.alpha,
    correction: gates.correction,
    looks: opts.looks ?? 1,
    counts: outcome.counts,
    unchecked: outcome.unchecked,
    warnings: outcome.warnings,
    verdicts: outcome.verdicts,
  });
  writeFileSync(join(runDir, 'gate.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(runDir, 'junit.xml'), junitXml(`qualbench.${manifest.eval.name}`, outcome.verdicts, inconclusiveFails));
  const md = markdown(manifest.eval.name, outcome, label, gates.policy.inconclusive, gates.alpha / (opts.looks ?? 1), gates.correction);
  const summaryFile = readEnv().githubStepSummary;
  if (summaryFile) appendFileSync(summaryFile, md + '\n');
  say(md);
  return { code: outcome.passed ? EXIT.ok : EXIT.gateFailed, outcome };
}

/** The one JSON line `gate --json` and `eval --ci` print. */
export function gateEvent(outcome: GateOutcome, junit: string) {
  return { event: 'gate', passed: outcome.passed, counts: outcome.counts, failed: outcome.verdicts.filter((v) => v.verdict === 'fail').map((v) => v.gate), inconclusive: outcome.verdicts.filter((v) => v.verdict === 'inconclusive').map((v) => v.gate), unchecked: outcome.unchecked, junit };
}
