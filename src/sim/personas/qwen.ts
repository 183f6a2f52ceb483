/**
 * Qwen 3 4B, two checkpoints (model cards on Hugging Face): good JSON with moderately noisy ratings and
 * detailed reasoning.
 * - `Qwen/Qwen3-4B-Instruct-2507` is a non-thinking model: it never writes `<think>` blocks, and
 *   `enable_thinking` is no longer needed or supported (its card), so the flag changes nothing.
 * - `Qwen/Qwen3-4B` (the hybrid thinking model) thinks out loud first, `<think>...</think>` before the
 *   answer, unless the request sets `chat_template_kwargs.enable_thinking: false`. Without a reasoning
 *   parser the tags stay in `content` (the reasoning-tags failure); with `--reasoning-parser qwen3`
 *   they go to the reasoning field. `/no_think` in the prompt yields an empty think block.
 */
import type { PromptFeatures } from '../features.ts';
import type { Judgement } from '../knowledge.ts';
import type { Rng } from '../prng.ts';
import { RECOMMENDATIONS } from '../../tasks/candidate-screening/records.ts';
import {
  buildEvaluation, fence, inventedShape, lenientSlip, markdownEvaluation, noProfileAnswer, noisyRatings, offEnum, proseBefore,
  questionBack, toJson, type NoiseModel,
} from './writing.ts';
import { withRequestedFields } from '../extra-fields.ts';
import type { Evaluation, Persona } from './types.ts';

const NOISE: NoiseModel = { dimSd: 0.55, recSd: 0.55, recBias: 0.1 };

/** Failure probabilities of Qwen 3 4B for a prompt (documented in docs/simulator.md). */
export function qwenRates(f: PromptFeatures) {
  return {
    nonAnswer: f.hasWorkedExample ? 0.005 : 0.03,
    fence: f.jsonOnly ? 0.02 : 0.12,
    prose: f.jsonOnly ? 0.01 : 0.06,
    offEnum: f.listsAllowedValues ? 0.02 : 0.1,
    inventedKeys: f.namesFields || f.hasWorkedExample ? 0 : 0.4,
    lenient: 0.01,
    markdown: f.asksJson ? 0 : 0.8,
  };
}

/** The visible chain of thought Qwen writes before answering. */
function thinkText(j: Judgement, e: Evaluation, rng: Rng): string {
  const f = j.facts;
  const r = (d: string) => e.analysis[d]?.rating ?? 'Okay';
  const parts = [
    rng.pick([`Okay, let's evaluate ${f.name}.`, `Let me look at ${f.name}'s profile carefully.`, `Alright, I need to assess ${f.name} for a software engineering role.`]),
    f.school ? `Education: ${f.degree} in ${f.field} from ${f.school}. That's ${r('educational_pedigree') === 'Great' ? 'a top school' : r('educational_pedigree') === 'Good' ? 'a good school' : 'not a top-tier school'}, so ${r('educational_pedigree')}.` : 'No education listed, so educational pedigree is Weak.',
    f.companies.length ? `Companies: ${f.companies.slice(0, 3).join(', ')}. ${f.bestCompany ? `${f.bestCompany} stands out.` : 'None of these are big names.'} I'd say ${r('company_pedigree')}.` : 'No companies listed.',
    f.roles ? `Trajectory: started as ${f.firstTitle}, now ${f.currentTitle}, about ${f.years} years in total${f.longestGapMonths > 8 ? `, with a gap of ${f.longestGapMonths} months` : ''}. That's ${r('trajectory')}.` : 'No roles, so trajectory is Weak.',
    `Is this a software engineer? Current title is ${f.currentTitle ?? 'none'}${f.skills.length ? ` and skills include ${f.skills.slice(0, 3).join(', ')}` : ''}. ${r('is_software_engineer')}.`,
    `Wait, let me double-check the recommendation. Overall, ${RECOMMENDATIONS.includes(e.recommendation as never) ? e.recommendation : 'Maybe'} seems right given the ratings.`,
    'Now I need to format the answer as JSON with the required fields.',
  ];
  return parts.join(' ');
}

/** A Qwen 3 4B persona; `thinkingModel` = the hybrid checkpoint that thinks unless told not to. */
function qwenPersona(modelId: string, thinkingModel: boolean): Persona {
  return {
    modelId,
    jsonIndent: 2,
    evaluate(ctx) {
      const j = ctx.judgement!;
      // About 310 completion tokens either way, as the team measured: terse JSON after a think block,
      // or fuller reasoning in the JSON without one.
      const thinks = thinkingModel && ctx.thinking && ctx.mode !== 'json_object';
      return withRequestedFields(buildEvaluation(j, noisyRatings(j, ctx.rng.fork('ratings'), NOISE, ctx.temperature), ctx.rng.fork('text'), thinks ? 0 : 2), ctx, NOISE.dimSd, !thinks);
    },
    respond(ctx) {
      const { rng, judgement: j, features } = ctx;
      const bare = ctx.mode === 'json_object';
      if (!j) return noProfileAnswer(rng.fork('noprofile'), bare ? 'json_object' : 'free');
      const rates = qwenRates(features);
      let e = this.evaluate(ctx);
      const think = bare || !thinkingModel || !ctx.thinking ? null : features.noThinkSwitch ? '<think>\n\n</think>\n\n' : `<think>\n${thinkText(j, e, rng.fork('think'))}\n</think>\n\n`;
      const withThink = (s: string) => (think ? think + s : s);
      if (!bare && rng.fork('nonanswer').chance(rates.nonAnswer)) return withThink(questionBack(j.facts, rng.fork('question')));
      if (rng.fork('offenum').chance(rates.offEnum)) e = offEnum(e, rng.fork('offenum-which'));
      if (!bare && rng.fork('markdown').chance(rates.markdown)) return withThink(markdownEvaluation(e, j));
      const value = rng.fork('invented').chance(rates.inventedKeys) ? inventedShape(e, j, rng.fork('invented-which')) : e;
      let json = toJson(value, 2);
      if (!bare && rng.fork('lenient').chance(rates.lenient)) json = lenientSlip(json, rng.fork('lenient-which'));
      if (bare) return json;
      if (rng.fork('fence').chance(rates.fence)) json = fence(json, rng.fork('fence-style'));
      if (rng.fork('prose').chance(rates.prose)) json = `${proseBefore(j.facts, rng.fork('prose-where'))}\n\n${json}`;
      return withThink(json);
    },
  };
}

/** Qwen3-4B-Instruct-2507: never thinks. */
export const qwen: Persona = qwenPersona('Qwen/Qwen3-4B-Instruct-2507', false);

/** Qwen3-4B (thinking): `<think>` blocks unless `enable_thinking: false`. */
export const qwenThinking: Persona = qwenPersona('Qwen/Qwen3-4B', true);
