/**
 * `logprobs: true` (with `top_logprobs` k) answered in vLLM's shape: per generated token
 * `{token, logprob, bytes, top_logprobs: [k entries]}`. The values are synthetic (the simulator has no
 * distribution): drawn from a generator seeded by the answer, the sampled token ranked first (greedy),
 * alternatives below it, probabilities summing to at most 1.
 */
import { createRng } from './prng.ts';
import { sha256 } from '../core/hash.ts';

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

const ALTERNATIVES = [' the', ',', ' and', '.', ' a', '\n', ' of', ' to', ' is', '"', ' in', ':', ' "', ' for', ' with', ' that', ' on', ' as', ' it', ' be'];

const bytesOf = (s: string) => [...Buffer.from(s, 'utf8')];
const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Logprobs for each token text of an answer (the same answer always gets the same values). */
export function syntheticLogprobs(tokens: readonly string[], topK: number): TokenLogprob[] {
  const rng = createRng(sha256(tokens.join('\u0000')));
  return tokens.map((token) => {
    // Most tokens near certain, some hesitant; never below 0.5, so the sampled token ranks first.
    const p = 1 - 0.5 * rng.next() ** 4;
    const logprob = round(Math.log(p));
    const top: TokenLogprob['top_logprobs'] = [];
    if (topK > 0) {
      const alts = ALTERNATIVES.filter((a) => a !== token);
      const start = rng.int(0, alts.length - 1);
      const shares: number[] = [];
      let rest = 1 - p;
      for (let r = 1; r < Math.min(topK, alts.length + 1); r++) {
        const share = rest * (0.3 + 0.5 * rng.next());
        rest -= share;
        shares.push(share);
      }
      shares.sort((a, b) => b - a);
      top.push({ token, logprob, bytes: bytesOf(token) });
      shares.forEach((share, r) => {
        const alt = alts[(start + r) % alts.length]!;
        top.push({ token: alt, logprob: round(Math.log(Math.max(share, 1e-9))), bytes: bytesOf(alt) });
      });
    }
    return { token, logprob, bytes: bytesOf(token), top_logprobs: top };
  });
}
