/**
 * The task of a run, for the layer that wires stages: which declaration a run directory was made with,
 * and the views of it the score and aggregate stages take.
 */
import type { RunManifest } from './core/records.ts';
import { loadTask, type LoadedTask } from './load/load-task.ts';
import type { StratifyBy } from './load/load-dataset.ts';
import type { ScoringTask } from './score/scorer.ts';

/**
 * The task a run used: the one its manifest names, else (runs made before tasks were declared) the
 * task named like its eval.
 */
export function loadRunTask(root: string, manifest: Pick<RunManifest, 'task' | 'eval'>): LoadedTask {
  return loadTask(root, manifest.task?.name ?? manifest.eval.name);
}

/** What the scorers see of a task. */
export function scoringTask(task: LoadedTask): ScoringTask {
  return { labels: task.definition.labels, primary_label: task.definition.primary_label, contract: task.contract };
}

/** The task an eval names (`task`, else the eval's own name). */
export function loadEvalTask(root: string, def: { name: string; task?: string | undefined }): LoadedTask {
  return loadTask(root, def.task ?? def.name);
}

/** The label a task's samples are stratified by, with its scale. */
export function stratifyLabel(task: LoadedTask): StratifyBy {
  const l = task.definition.labels.find((x) => x.name === task.definition.stratify)!;
  return { gold: l.gold, scale: l.kind === 'text' ? [] : l.scale };
}
