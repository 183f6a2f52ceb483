import type { ItemRow, Score } from '../core/records.ts';
import { parseResponse } from './parse.ts';
import { SCORER_IDS, SCORERS, type ScorerId } from './registry.ts';
import type { AnsweredResult, ScoringTask } from './scorer.ts';
import { defaultScoringTask } from './default-task.ts';

export interface ScoreAnswerOptions {
  /** Scorers to run, by id. @default every registered scorer */
  scorers?: readonly ScorerId[];
  /** The answer's finish_reason (`length` marks a cut-off answer). @default 'stop' */
  finishReason?: string | null;
  /** The task to score against (its labels, contract, grounding and module). @default candidate screening, with its module (the public API's) */
  task?: ScoringTask;
  /** The prompt the model saw: a copy of it is a prompt echo. */
  prompt?: string;
}

/**
 * Score one answer outside a run (e.g. in a team's own prompt tests) with the same scorers a run uses.
 * A scorer that throws gives an unscored result with label `scorer-error`, as in a run.
 * @param item the dataset row: the candidate profile and gold labels.
 * @example scoreAnswer(text, row, { scorers: ['schema', 'follows-instructions'] })['schema'].score
 */
export function scoreAnswer(text: string, item: ItemRow, opts: ScoreAnswerOptions = {}): Partial<Record<ScorerId, Score>> {
  const finish = opts.finishReason === undefined ? 'stop' : opts.finishReason;
  const now = new Date(0).toISOString();
  const result: AnsweredResult = {
    key: 'adhoc',
    item_id: item.id,
    model: 'adhoc',
    prompt_version: 'adhoc',
    source: 'sent',
    response: { content: text, reasoning: null, finish_reason: finish, usage: { prompt_tokens: 0, completion_tokens: 0 }, model: 'adhoc' },
    error: null,
    attempts: 1,
    latency_ms: null,
    started_at: now,
    finished_at: now,
  };
  const parsed = parseResponse(text, finish);
  const task = opts.task ?? defaultScoringTask();
  const out: Partial<Record<ScorerId, Score>> = {};
  for (const id of opts.scorers ?? SCORER_IDS) {
    try {
      out[id] = SCORERS[id](task)({ result, parsed, item, ...(opts.prompt !== undefined ? { prompt: opts.prompt } : {}) });
    } catch (e) {
      out[id] = { score: null, label: 'scorer-error', reason: `scorer failed: ${(e as Error).message}` };
    }
  }
  return out;
}
