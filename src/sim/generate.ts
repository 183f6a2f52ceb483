/**
 * From a chat request to the text a simulated model answers: find the profile, judge it, read the
 * prompt's features, and let the model's persona write. Deterministic for a given server seed and
 * request (model, messages, temperature, seed, max tokens).
 */
import { hashValue } from '../core/hash.ts';
import { DIMENSIONS } from '../core/records.ts';
import { promptFeatures } from './features.ts';
import { judgeProfile } from './knowledge.ts';
import { personaFor } from './personas/index.ts';
import type { Evaluation, OutputMode, PersonaContext } from './personas/types.ts';
import { toJson } from './personas/writing.ts';
import { createRng } from './prng.ts';
import { findProfile } from './profile.ts';
import { conformToSchema } from './schema-fill.ts';

export interface GenerateInput {
  serverSeed: number;
  model: string;
  messages: readonly { role: string; content: string }[];
  temperature: number;
  seed: number | null;
  maxTokens: number | null;
  mode: OutputMode;
  /** The JSON schema under `json_schema` mode. */
  schema: unknown;
  /** `chat_template_kwargs.enable_thinking` (default true). */
  thinking: boolean;
}

/** The full answer (before any max_tokens cut) a model gives to a request. */
export function generateAnswer(input: GenerateInput): string {
  const persona = personaFor(input.model);
  if (!persona) throw new Error(`no persona for ${input.model}`);
  const rng = createRng(
    hashValue({
      server_seed: input.serverSeed,
      model: input.model,
      messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
      temperature: input.temperature,
      seed: input.seed,
      max_tokens: input.maxTokens,
    }),
  );
  const found = findProfile(input.messages);
  const ctx: PersonaContext = {
    profile: found?.profile ?? null,
    judgement: found ? judgeProfile(found.profile) : null,
    features: promptFeatures(input.messages, found?.text ?? null),
    rng,
    mode: input.mode,
    thinking: input.thinking,
    temperature: input.temperature,
  };
  if (input.mode === 'json_schema') {
    const suggestion: Evaluation = ctx.judgement ? persona.evaluate(ctx) : emptyEvaluation();
    return toJson(conformToSchema(input.schema, suggestion), persona.jsonIndent);
  }
  return persona.respond(ctx);
}

function emptyEvaluation(): Evaluation {
  const analysis: Evaluation['analysis'] = {};
  for (const d of DIMENSIONS) analysis[d] = { rating: 'Weak', reasoning: 'No candidate profile was provided.' };
  return { recommendation: 'Maybe', reasoning: 'No candidate profile was provided, so there is nothing to evaluate.', analysis };
}
