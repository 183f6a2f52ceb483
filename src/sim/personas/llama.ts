/**
 * meta-llama/Llama-3.2-1B-Instruct: fast and weak. Under a free-form prompt it skips the task about
 * 45% of the time (a template with placeholders to "fill in", a question back, a generic essay, a
 * summary of the profile, a refusal). When it does answer, ratings are noisy and lean positive, JSON
 * often sits in a fence or among prose, values drift off the contract's vocabularies, and fields go
 * missing in long prompts. A complete worked example in the prompt is what helps it most.
 */
import type { PromptFeatures } from '../features.ts';
import {
  buildEvaluation, dropField, fence, genericEssay, inventedShape, lenientSlip, markdownEvaluation, noProfileAnswer, noisyRatings,
  offEnum, placeholderTemplate, profileSummary, proseAfter, proseBefore, questionBack, refusal, toJson, type NoiseModel,
} from './writing.ts';
import { withRequestedFields } from '../extra-fields.ts';
import type { Persona, PersonaContext } from './types.ts';

const NOISE: NoiseModel = { dimSd: 0.85, recSd: 0.9, recBias: -0.5 };

/** Failure probabilities of Llama 3.2 1B for a prompt (documented in docs/simulator.md). */
export function llamaRates(f: PromptFeatures) {
  let nonAnswer = f.hasWorkedExample ? 0.1 : 0.45;
  if (f.jsonOnly) nonAnswer -= 0.04;
  if (f.listsAllowedValues) nonAnswer -= 0.04;
  if (!f.asksJson) nonAnswer += 0.1;
  if (f.instructionTokens > 600) nonAnswer += 0.08;
  return {
    nonAnswer: Math.max(0.03, nonAnswer),
    fence: f.jsonOnly ? 0.06 : 0.35,
    prose: f.jsonOnly ? 0.07 : 0.3,
    offEnum: (f.listsAllowedValues ? 0.07 : 0.3) + (f.hasTemplate && !f.hasWorkedExample ? 0.15 : 0),
    missingField: f.instructionTokens > 400 ? 0.12 : 0.06,
    inventedKeys: f.namesFields || f.hasWorkedExample ? 0 : 0.6,
    lenient: 0.07,
    markdown: f.asksJson ? 0 : 0.9,
  };
}

export const llama: Persona = {
  modelId: 'meta-llama/Llama-3.2-1B-Instruct',
  jsonIndent: 0,
  evaluate(ctx) {
    const j = ctx.judgement!;
    return withRequestedFields(buildEvaluation(j, noisyRatings(j, ctx.rng.fork('ratings'), NOISE, ctx.temperature), ctx.rng.fork('text'), 0), ctx, NOISE.dimSd, false);
  },
  respond(ctx: PersonaContext) {
    const { rng, judgement: j, features } = ctx;
    const bare = ctx.mode === 'json_object';
    if (!j) return noProfileAnswer(rng.fork('noprofile'), bare ? 'json_object' : 'free');
    const rates = llamaRates(features);
    if (rng.fork('nonanswer').chance(rates.nonAnswer)) {
      if (bare) return placeholderTemplate(rng.fork('template'), true);
      const kind = rng.fork('nonanswer-kind').next();
      if (kind < 0.45) return placeholderTemplate(rng.fork('template'), false);
      if (kind < 0.6) return questionBack(j.facts, rng.fork('question'));
      if (kind < 0.75) return genericEssay(rng.fork('essay'));
      if (kind < 0.92) return profileSummary(j.facts, rng.fork('summary'));
      return refusal(rng.fork('refusal'));
    }
    let e = this.evaluate(ctx);
    if (rng.fork('offenum').chance(rates.offEnum)) e = offEnum(e, rng.fork('offenum-which'));
    if (!bare && rng.fork('markdown').chance(rates.markdown)) return markdownEvaluation(e, j);
    let value: Record<string, unknown> = { ...e };
    if (rng.fork('invented').chance(rates.inventedKeys)) value = inventedShape(e, j, rng.fork('invented-which'));
    else if (rng.fork('missing').chance(rates.missingField)) value = dropField(e, rng.fork('missing-which'));
    let json = toJson(value, rng.fork('indent').chance(0.25) ? 2 : 0);
    if (!bare && rng.fork('lenient').chance(rates.lenient)) json = lenientSlip(json, rng.fork('lenient-which'));
    if (bare) return json;
    if (rng.fork('fence').chance(rates.fence)) json = fence(json, rng.fork('fence-style'));
    if (rng.fork('prose').chance(rates.prose)) {
      const p = rng.fork('prose-where');
      return p.chance(0.6) ? `${proseBefore(j.facts, p)}\n\n${json}` : `${proseBefore(j.facts, p)}\n\n${json}\n\n${proseAfter(j.facts, e, p)}`;
    }
    return json;
  },
};
