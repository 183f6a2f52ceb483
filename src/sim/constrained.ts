/**
 * Answers under `structured_outputs.choice` / `.regex`: vLLM masks every token that would leave the
 * constraint, so the answer is exactly one of the choices, or a string the regex fully matches. The
 * simulated model keeps its own judgement where the constraint allows it: its recommendation or its
 * free answer when one fits, else the choice its free answer names first, else a draw.
 */
import type { Rng } from './prng.ts';
import { fullMatcher, stringMatching } from './regex-gen.ts';
import type { Constraint } from './structured.ts';

const MAX_TRIED = 64;

/** `preferred`: what the model would say, best first (e.g. its recommendation, its free answer). */
export function constrainedAnswer(c: Constraint, preferred: readonly string[], rng: Rng): string {
  if (c.kind === 'choice') {
    for (const p of preferred) {
      const exact = c.choices.find((x) => x === p.trim());
      if (exact !== undefined) return exact;
    }
    const free = (preferred[preferred.length - 1] ?? '').toLowerCase();
    let best: { at: number; choice: string } | null = null;
    for (const choice of c.choices) {
      const at = choice === '' ? -1 : free.indexOf(choice.toLowerCase());
      if (at >= 0 && (!best || at < best.at || (at === best.at && choice.length > best.choice.length))) best = { at, choice };
    }
    return best ? best.choice : rng.pick(c.choices);
  }
  const re = fullMatcher(c.pattern);
  // Only short answers are tried against the pattern (a recommendation, a one-word answer): the
  // pattern is the client's, and a backtracking matcher on a long non-match can take very long.
  for (const p of preferred) if (p.length <= MAX_TRIED && re.test(p)) return p;
  return stringMatching(c.pattern, rng);
}
