/** The interface every simulated model persona implements. */
import type { CandidateProfile } from '../../tasks/candidate-screening/records.ts';
import type { PromptFeatures } from '../features.ts';
import type { ExtraField } from '../extra-fields.ts';
import type { Judgement } from '../knowledge.ts';
import type { Rng } from '../prng.ts';

/** How the request constrains the output. */
export type OutputMode =
  /** No constraint: the persona writes whatever it writes. */
  | 'free'
  /** `response_format: {type: "json_object"}`: one bare JSON object, any keys. */
  | 'json_object'
  /** `json_schema` / `structured_outputs.json`: one JSON object meeting the given schema. */
  | 'json_schema';

export interface PersonaContext {
  profile: CandidateProfile | null;
  judgement: Judgement | null;
  features: PromptFeatures;
  rng: Rng;
  mode: OutputMode;
  /** `chat_template_kwargs.enable_thinking` (default true); only Qwen reads it. */
  thinking: boolean;
  temperature: number;
  /** Every field the prompt's answer example/template (or the json_schema) asks for; the persona fills those it lacks. */
  extraFields?: readonly ExtraField[];
}

/** The contract's answer shape, as a persona would fill it (values may be off-contract in free mode). */
export interface Evaluation {
  recommendation: string;
  reasoning: string;
  analysis: Record<string, { rating: string; reasoning: string }>;
  /** Fields the prompt asked for beyond the contract the personas know (extra-fields.ts). */
  [requested: string]: unknown;
}

export interface Persona {
  /** Served model id, e.g. `google/gemma-3-4b-it`. */
  modelId: string;
  /** What the persona answers in free / json_object mode: the whole message content. */
  respond(ctx: PersonaContext): string;
  /** Its best contract-shaped answer (valid vocabularies), used under structured outputs. */
  evaluate(ctx: PersonaContext): Evaluation;
  /** How it lays out JSON under structured outputs. */
  jsonIndent: number;
}
