/**
 * score -> aggregate -> report, from the files in a run directory (an eval's end, `rescore`, `import`).
 * Sends nothing. The scorers get the run's task (with its module) and, for each answer, the prompt the
 * model saw, re-rendered from the run's prompt versions and the dataset row.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, type ItemRow, type ResultRecord, type RunManifest, type Summary } from './core/records.ts';
import type { DatasetIndex } from './load/load-dataset.ts';
import { loadPromptVersion } from './load/load-prompts.ts';
import type { LoadedTask } from './load/load-task.ts';
import { compilePrompt, type CompiledPrompt } from './render/render-request.ts';
import { assertScorerIds, scoreRun } from './score/score-run.ts';
import { aggregateRun } from './aggregate/aggregate-run.ts';
import { renderMarkdownReport } from './report/render-report.ts';
import { renderHtmlReport, singleRun } from './report/render-html.ts';
import { scoringTask } from './run-task.ts';
import { writeJsonAtomic } from './run-dir.ts';

/** The rows of a run by id, read from disk on demand (only those in the sample). */
export function itemLookup(dataset: DatasetIndex, positions: number[]): Pick<ReadonlyMap<string, ItemRow>, 'get'> {
  const inRun = new Set(positions.map((i) => dataset.ids[i]!));
  return { get: (id) => (inRun.has(id) ? dataset.get(id) : undefined) };
}

/**
 * The prompt text of each answer: the run's prompt versions as the project holds them, each only when its
 * sha256 is the one the manifest recorded (an edited version would show the scorers a prompt the model never
 * saw; those answers are scored without one, as before prompts were passed). System and user text, joined.
 * Nothing is stored: the run directory keeps no prompt copies (they are the templates times the rows).
 */
export function promptTexts(root: string, manifest: RunManifest, task: LoadedTask): (r: ResultRecord, item: ItemRow) => string | undefined {
  const compiled = new Map<string, CompiledPrompt>();
  for (const v of manifest.prompt.versions) {
    try {
      const p = loadPromptVersion(root, manifest.prompt.name, v.version);
      if (p.sha256 === v.sha256) compiled.set(v.version, compilePrompt(p, task.definition.item.variables));
    } catch {
      // Not in this project any more (a run copied elsewhere): its answers are scored without the prompt.
    }
  }
  return (r, item) => {
    // A constrained-decoding group is labelled `<version>+schema`: the same prompt.
    const prompt = compiled.get(r.prompt_version.replace(/\+schema$/, ''));
    if (!prompt) return undefined;
    try {
      return prompt.render(item).map((m) => m.content).join('\n\n');
    } catch {
      return undefined;
    }
  };
}

/** score -> aggregate -> report, from the files in the run directory. Sends nothing. */
export async function finishRun(root: string, runDir: string, items: Pick<ReadonlyMap<string, ItemRow>, 'get'>, manifest: RunManifest, seed: number, task: LoadedTask): Promise<Summary> {
  const scoresFile = join(runDir, RUN_FILES.scores);
  const scoring = await scoringTask(task);
  const promptOf = promptTexts(root, manifest, task);
  await scoreRun({
    resultsFile: join(runDir, RUN_FILES.results),
    scoresFile,
    scorers: assertScorerIds(manifest.scorers, join(runDir, RUN_FILES.manifest), scoring),
    task: scoring,
    items,
    promptOf,
  });
  const summary = await aggregateRun({ scoresFile, timingFile: join(runDir, RUN_FILES.timing), manifest, task: task.definition, seed });
  writeJsonAtomic(join(runDir, RUN_FILES.summary), summary);
  writeFileSync(join(runDir, RUN_FILES.report), renderMarkdownReport(summary, manifest));
  writeFileSync(join(runDir, RUN_FILES.html), renderHtmlReport(singleRun(summary, manifest)));
  return summary;
}
