/**
 * From a chat request to the text a simulated model answers: find the profile, judge it, read the
 * prompt's features, and let the model's persona write. Deterministic for a given model seed, run
 * seed and request (model, messages, temperature, seed, max tokens).
 *
 * Two seeds, two meanings. The model seed (`--seed`) is "what the model is": every persona decision
 * is drawn from it, so another model seed is another set of weights. The run seed (`--run-seed`) is
 * "this run's nondeterminism": real vLLM at temperature 0 is not bit-exact across runs (batch
 * composition changes the floating-point reductions), so a small share of answers diverge and are
 * written differently. Here a share of requests, picked by the run seed, is answered from a fresh
 * draw of the same persona (same rates, other decisions and text); the rest are identical.
 */
import { hashValue } from '../core/hash.ts';
import { DIMENSIONS } from '../tasks/candidate-screening/records.ts';
import { promptFeatures } from './features.ts';
import { judgeProfile } from './knowledge.ts';
import { personaFor } from './personas/index.ts';
import type { Evaluation, OutputMode, PersonaContext } from './personas/types.ts';
import { toJson } from './personas/writing.ts';
import { createRng, type Rng } from './prng.ts';
import { findProfile } from './profile.ts';
import { conformToSchema } from './schema-fill.ts';
import { constrainedAnswer } from './constrained.ts';
import type { Constraint } from './structured.ts';
import { followSchema } from './personas/schema-follower.ts';
import { requestedFields } from './extra-fields.ts';

export interface GenerateInput {
  /** The model seed (`--seed`): which simulated weights. */
  serverSeed: number;
  /** The run seed (`--run-seed`): which requests diverge in this run, and how. Default 0. */
  runSeed?: number;
  /**
   * Share of answers two runs with different run seeds differ on (`--rerun-noise`, default
   * DEFAULT_RERUN_NOISE). 0 = bit-exact re-runs.
   */
  rerunNoise?: number;
  model: string;
  messages: readonly { role: string; content: string }[];
  temperature: number;
  seed: number | null;
  maxTokens: number | null;
  mode: OutputMode;
  /** The JSON schema under `json_schema` mode. */
  schema: unknown;
  /** `structured_outputs.choice` / `.regex`: the whole answer must meet it. */
  constraint?: Constraint | null;
  /** `chat_template_kwargs.enable_thinking` (default true). */
  thinking: boolean;
  /**
   * Which of the request's `n` answers (default 0). Above temperature 0 each is its own draw; at
   * temperature 0 (greedy) all n are the same answer, as vLLM's are.
   */
  choiceIndex?: number;
  /**
   * For prompts of a task the simulator knows nothing of: the share of answers the generic persona gets
   * right and well-formed (0..1; `--generic-quality`). Default: per model, GENERIC_QUALITY.
   */
  genericQuality?: number;
}

/** The generic persona's quality per simulated model (a larger model follows a prompt's shape better). */
export const GENERIC_QUALITY: Readonly<Record<string, number>> = {
  'meta-llama/Llama-3.2-1B-Instruct': 0.6,
  'google/gemma-3-4b-it': 0.85,
  'Qwen/Qwen3-4B-Instruct-2507': 0.9,
  'Qwen/Qwen3-4B': 0.9,
};

/** Default share of answers that differ between two runs of the same requests (see rerunSeed). */
export const DEFAULT_RERUN_NOISE = 0.03;

/**
 * The seed of a request's generator in one run. Each run redraws a request independently with
 * probability q, so two runs differ when either redraws: 1 − (1 − q)² = noise, q = 1 − √(1 − noise).
 */
export function rerunSeed(requestKey: string, runSeed: number, noise: number): string {
  if (!(noise > 0)) return requestKey;
  const q = 1 - Math.sqrt(1 - Math.min(1, noise));
  if (!createRng(hashValue({ rerun_pick: runSeed, key: requestKey })).chance(q)) return requestKey;
  return hashValue({ rerun: runSeed, key: requestKey });
}

/** The full answer (before any max_tokens cut) a model gives to a request. */
export function generateAnswer(input: GenerateInput): string {
  const persona = personaFor(input.model);
  if (!persona) throw new Error(`no persona for ${input.model}`);
  const requestKey = hashValue({
    server_seed: input.serverSeed,
    model: input.model,
    messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: input.temperature,
    seed: input.seed,
    max_tokens: input.maxTokens,
    ...(input.choiceIndex && input.temperature > 0 ? { choice: input.choiceIndex } : {}),
  });
  const rng = createRng(rerunSeed(requestKey, input.runSeed ?? 0, input.rerunNoise ?? DEFAULT_RERUN_NOISE));
  const found = findProfile(input.messages);
  if (input.constraint) {
    // Constrained decoding leaves no room for a think block: the model's own answer, bent to fit.
    const free = generateAnswer({ ...input, constraint: null, thinking: false });
    const rec = found ? persona.evaluate(contextFor(input, found, rng)).recommendation : null;
    return constrainedAnswer(input.constraint, rec ? [rec, free] : [free], rng.fork('constraint'));
  }
  if (!found && input.mode !== 'json_schema') {
    // Not a task the simulator knows: fill the answer shape the prompt shows, at the model's quality.
    const generic = followSchema(input.messages, rng, input.genericQuality ?? GENERIC_QUALITY[input.model] ?? 0.8);
    if (generic !== null) return generic;
  }
  const ctx = contextFor(input, found, rng);
  if (input.mode === 'json_schema') {
    const suggestion: Evaluation = ctx.judgement ? persona.evaluate(ctx) : emptyEvaluation();
    return toJson(conformToSchema(input.schema, suggestion), persona.jsonIndent);
  }
  return persona.respond(ctx);
}

function contextFor(input: GenerateInput, found: ReturnType<typeof findProfile>, rng: Rng): PersonaContext {
  return {
    profile: found?.profile ?? null,
    judgement: found ? judgeProfile(found.profile) : null,
    features: promptFeatures(input.messages, found?.text ?? null),
    rng,
    mode: input.mode,
    thinking: input.thinking,
    temperature: input.temperature,
    extraFields: found ? requestedFields(input.messages, found.text, input.mode === 'json_schema' ? input.schema : null) : [],
  };
}

function emptyEvaluation(): Evaluation {
  const analysis: Evaluation['analysis'] = {};
  for (const d of DIMENSIONS) analysis[d] = { rating: 'Weak', reasoning: 'No candidate profile was provided.' };
  return { recommendation: 'Maybe', reasoning: 'No candidate profile was provided, so there is nothing to evaluate.', analysis };
}
