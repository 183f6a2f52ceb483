import type { ScorerFactory } from '../scorer.ts';
import { defaultScoringTask } from '../default-task.ts';

/**
 * A generic scorer id whose implementation the run's task provides (its module's `scorers[id]`): the id,
 * and the metrics aggregate and gate read from it, are the same for every task; how to judge it is not.
 * A task that provides none leaves every answer unscored (label `not-provided`); an eval naming such an id
 * is refused before anything is sent (`assertScorerIds`).
 */
export function providedByTask(id: string): ScorerFactory {
  return (task = defaultScoringTask()) => {
    const factory = task.module?.scorers?.[id];
    if (factory) return factory(task);
    return () => ({ score: null, label: 'not-provided', reason: `task \`${task.name ?? '?'}\` provides no \`${id}\` scorer (its task.json \`module\`)` });
  };
}
