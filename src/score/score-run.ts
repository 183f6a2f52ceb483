import { existsSync, renameSync, rmSync } from 'node:fs';
import { ResultRecord, type ItemRow, type Score, type ScoreRecord } from '../core/records.ts';
import { UserError } from '../core/errors.ts';
import { SCORER } from '../core/scorer-ids.ts';
import { JsonlAppender, readJsonl } from '../core/jsonl.ts';
import { parseResponse } from './parse.ts';
import { readGold, readPrediction } from './predict.ts';
import { defaultScoringTask } from './default-task.ts';
import { SCORERS, type ScorerId } from './registry.ts';
import type { AnsweredResult, Scorer, ScorerFactory, ScoringTask } from './scorer.ts';
import { moduleScorerId, TASK_PROVIDED_SCORERS } from './task-module.ts';

export { SCORER_IDS, type ScorerId } from './registry.ts';

/** The scorers a run can name: the generic ones, and its task module's under the task's namespace. */
function knownScorers(task: ScoringTask | undefined): Map<string, ScorerFactory> {
  const known = new Map<string, ScorerFactory>(Object.entries(SCORERS));
  for (const [name, factory] of Object.entries(task?.module?.scorers ?? {})) {
    const id = moduleScorerId(task?.name ?? '', name);
    // A task-provided generic id keeps its generic factory, which calls the module's (providedByTask).
    if (!TASK_PROVIDED_SCORERS.includes(id)) known.set(id, factory);
  }
  return known;
}

/**
 * Check the scorer ids an eval names against the registry and the task's module, before any request is sent.
 * @param file the file the ids come from, for the error message.
 * @param task the run's task: its module's scorers are known as `<task>/<name>`, and a generic id only a task
 *   can implement (`follows-instructions`) must be provided by it.
 * @throws UserError naming the file, the field `scorers.<i>`, the unknown id and the known ones.
 */
export function assertScorerIds(ids: readonly string[], file: string, task?: ScoringTask): string[] {
  const known = knownScorers(task);
  const out: string[] = [];
  for (const [i, id] of ids.entries()) {
    if (!known.has(id)) {
      throw new UserError(`unknown scorer \`${id}\``, { file, field: `scorers.${i}`, hint: `Known scorers: ${[...known.keys()].join(', ')}.` });
    }
    if (task && TASK_PROVIDED_SCORERS.includes(id) && !task.module?.scorers?.[id]) {
      throw new UserError(`scorer \`${id}\` judges the task's own instructions, and task \`${task.name ?? '?'}\` provides none`, {
        file,
        field: `scorers.${i}`,
        hint: `Leave it out, or give the task a module (task.json \`module\`) whose \`scorers\` has \`${id}\` (ARCHITECTURE.md, "A task's own code").`,
      });
    }
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** Scorers built once for a run, in the eval's order, with the task they score. */
export type ScorerSet = ReadonlyArray<readonly [string, Scorer]> & { task?: ScoringTask };

export function buildScorers(ids: readonly string[], task: ScoringTask = defaultScoringTask()): ScorerSet {
  const known = knownScorers(task);
  return Object.assign(
    ids.map((id) => {
      const factory = known.get(id);
      if (!factory) throw new Error(`unknown scorer ${id} (assertScorerIds checks ids before a run)`);
      return [id, factory(task)] as const;
    }),
    { task },
  );
}

/** The identity of one result: one per (model, prompt version, item). */
function slotOf(r: { model: string; prompt_version: string; item_id: string }): string {
  return `${r.model}\u0000${r.prompt_version}\u0000${r.item_id}`;
}

/**
 * Score one result with every scorer. A failed request is unscored by every scorer (null, reason
 * `request failed: <kind>`); a scorer that throws is unscored for that item (a per-item failure is data).
 */
export function scoreResult(result: ResultRecord, item: ItemRow, scorers: ScorerSet, prompt?: string): ScoreRecord {
  const task = scorers.task ?? defaultScoringTask();
  const scores: Record<string, Score> = {};
  const base = {
    key: result.key,
    item_id: result.item_id,
    model: result.model,
    prompt_version: result.prompt_version,
    strata: item.strata,
    gold: readGold(item.gold, task),
    latency_ms: result.latency_ms,
    ...(result.ttft_ms != null ? { ttft_ms: result.ttft_ms } : {}),
    source: result.source,
    ...(result.server !== undefined ? { server: result.server } : {}),
  };
  if (result.error !== null || result.response === null) {
    const reason = result.error ? `request failed: ${result.error.kind}` : 'request failed: no response';
    for (const [id] of scorers) scores[id] = { score: null, reason };
    return { ...base, request_error: result.error ?? { kind: 'invalid-response', status: null, message: 'no response recorded' }, scores, prediction: null, parse: null, usage: null };
  }
  const answered = result as AnsweredResult;
  const parsed = parseResponse(answered.response.content, answered.response.finish_reason);
  for (const [id, scorer] of scorers) {
    try {
      scores[id] = scorer({ result: answered, parsed, item, ...(prompt !== undefined ? { prompt } : {}) });
    } catch (e) {
      scores[id] = { score: null, label: 'scorer-error', reason: `scorer failed: ${(e as Error).message}` };
    }
  }
  const prediction = readPrediction(parsed, task);
  const excerpt = needsExcerpt(scores, prediction, base.gold, task) ? answered.response.content.slice(0, EXCERPT_CHARS) : undefined;
  return {
    ...base,
    request_error: null,
    scores,
    prediction,
    parse: { class: parsed.class, detail: parsed.detail },
    usage: answered.response.usage,
    ...(excerpt !== undefined ? { excerpt } : {}),
  };
}

/** Characters of a failed answer kept in scores.jsonl for the report's failure gallery. */
export const EXCERPT_CHARS = 1000;

/** Scorers whose failure puts the answer's start into scores.jsonl (for the failure gallery). */
const GALLERY_SCORERS: readonly ScorerId[] = [SCORER.jsonStrict, SCORER.schema, SCORER.followsInstructions];

/**
 * Keep the answer's start when it failed a check (any validity or instruction scorer below 1) or
 * its primary label is missing or far from gold (two or more steps on an ordinal scale, any
 * difference on a nominal one): those are the items the gallery shows.
 */
function needsExcerpt(scores: Record<string, Score>, prediction: ScoreRecord['prediction'], gold: ScoreRecord['gold'], task: ScoringTask): boolean {
  for (const id of GALLERY_SCORERS) {
    const s = scores[id];
    if (s && s.score !== null && s.score < 1) return true;
  }
  const label = task.labels.find((l) => l.name === task.primary_label);
  if (!label || label.kind === 'text') return false;
  const p = prediction?.[label.name] ? label.scale.indexOf(prediction[label.name]!) : -1;
  const g = label.scale.indexOf(gold[label.name] ?? '');
  if (p < 0) return true;
  return label.kind === 'ordinal' ? Math.abs(p - g) >= 2 : p !== g;
}

export interface ScoreRunOptions {
  /** results.jsonl: ResultRecord lines. */
  resultsFile: string;
  /** scores.jsonl: overwritten (written to `<file>.tmp`, then renamed). */
  scoresFile: string;
  scorers: readonly string[];
  /** The rendered prompt of a result (its prompt version and item), for the scorers that compare with it; undefined when unknown. */
  promptOf?: (result: ResultRecord, item: ItemRow) => string | undefined;
  /** The run's task (labels and contract). @default candidate screening */
  task?: ScoringTask;
  /** Dataset rows by id: gold labels, strata, the candidate profile. */
  items: Pick<ReadonlyMap<string, ItemRow>, 'get'>;
}

/**
 * Score every result of a run, streaming: results.jsonl is read twice (first the last line of each
 * (model, prompt version, item), then the records), so only a map of slots is held in memory.
 * Should a slot appear twice, the last record wins and counts once.
 */
export async function scoreRun(opts: ScoreRunOptions): Promise<{ scored: number }> {
  const lastLine = new Map<string, number>();
  for await (const { line, value } of readJsonl(opts.resultsFile, ResultRecord, { tolerateTornTail: true })) {
    lastLine.set(slotOf(value), line);
  }
  const scorers = buildScorers(opts.scorers, opts.task);
  const tmp = `${opts.scoresFile}.tmp`;
  if (existsSync(tmp)) rmSync(tmp);
  const out = new JsonlAppender(tmp);
  let scored = 0;
  try {
    for await (const { line, value } of readJsonl(opts.resultsFile, ResultRecord, { tolerateTornTail: true })) {
      if (lastLine.get(slotOf(value)) !== line) continue;
      const item = opts.items.get(value.item_id);
      if (!item) {
        throw new UserError(`item \`${value.item_id}\` is not in the dataset`, {
          file: opts.resultsFile,
          line,
          field: 'item_id',
          hint: 'Score a run with the dataset version (and sample) it was run on.',
        });
      }
      out.append(scoreResult(value, item, scorers, opts.promptOf?.(value, item)));
      scored++;
    }
    out.close();
  } catch (e) {
    // A full disk or a bad row: the half-written file goes, the previous scores.jsonl stays as it was.
    try {
      out.close(false);
    } catch {
      // closing a file on a full disk can fail too; the original error is the one to report
    }
    rmSync(tmp, { force: true });
    throw e;
  }
  renameSync(tmp, opts.scoresFile);
  return { scored };
}
