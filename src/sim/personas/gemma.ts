/**
 * google/gemma-3-4b-it: valid JSON most of the time with sensible, low-noise ratings and balanced
 * reasoning (~300 tokens). Under a loose prompt about a quarter of answers come in a ```json fence
 * and about one in ten has a sentence of prose before (sometimes after) the JSON; "JSON only" /
 * "no code fences" instructions nearly remove both.
 */
import type { PromptFeatures } from '../features.ts';
import {
  buildEvaluation, fence, inventedShape, lenientSlip, markdownEvaluation, noProfileAnswer, noisyRatings, offEnum, proseAfter,
  proseBefore, questionBack, toJson, type NoiseModel,
} from './writing.ts';
import { withRequestedFields } from '../extra-fields.ts';
import type { Persona } from './types.ts';

const NOISE: NoiseModel = { dimSd: 0.32, recSd: 0.35, recBias: 0 };

/** Failure probabilities of Gemma 3 4B for a prompt (documented in docs/simulator.md). */
export function gemmaRates(f: PromptFeatures) {
  return {
    nonAnswer: f.hasWorkedExample ? 0.005 : 0.02,
    fence: f.jsonOnly ? 0.03 : 0.25,
    prose: (f.jsonOnly ? 0.02 : 0.1) + (f.short ? 0.05 : 0),
    offEnum: f.listsAllowedValues ? 0.01 : 0.06,
    inventedKeys: f.namesFields || f.hasWorkedExample ? 0 : 0.5,
    lenient: 0.005,
    markdown: f.asksJson ? 0 : 0.85,
  };
}

export const gemma: Persona = {
  modelId: 'google/gemma-3-4b-it',
  jsonIndent: 2,
  evaluate(ctx) {
    const j = ctx.judgement!;
    return withRequestedFields(buildEvaluation(j, noisyRatings(j, ctx.rng.fork('ratings'), NOISE, ctx.temperature), ctx.rng.fork('text'), 2), ctx, NOISE.dimSd, true);
  },
  respond(ctx) {
    const { rng, judgement: j, features } = ctx;
    const bare = ctx.mode === 'json_object';
    if (!j) return noProfileAnswer(rng.fork('noprofile'), bare ? 'json_object' : 'free');
    const rates = gemmaRates(features);
    let e = this.evaluate(ctx);
    if (!bare && rng.fork('nonanswer').chance(rates.nonAnswer)) return questionBack(j.facts, rng.fork('question'));
    if (rng.fork('offenum').chance(rates.offEnum)) e = offEnum(e, rng.fork('offenum-which'));
    if (!bare && rng.fork('markdown').chance(rates.markdown)) return markdownEvaluation(e, j);
    const value = rng.fork('invented').chance(rates.inventedKeys) ? inventedShape(e, j, rng.fork('invented-which')) : e;
    let json = toJson(value, 2);
    if (!bare && rng.fork('lenient').chance(rates.lenient)) json = lenientSlip(json, rng.fork('lenient-which'));
    if (bare) return json;
    if (rng.fork('fence').chance(rates.fence)) json = fence(json, rng.fork('fence-style'));
    if (rng.fork('prose').chance(rates.prose)) {
      const p = rng.fork('prose-where');
      return p.chance(0.7) ? `${proseBefore(j.facts, p)}\n\n${json}` : `${proseBefore(j.facts, p)}\n\n${json}\n\n${proseAfter(j.facts, e, p)}`;
    }
    return json;
  },
};
