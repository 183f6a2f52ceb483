/** The personas, by served model id. */
import { gemma } from './gemma.ts';
import { llama } from './llama.ts';
import { qwen, qwenThinking } from './qwen.ts';
import type { Persona } from './types.ts';

export const PERSONAS: readonly Persona[] = [llama, gemma, qwen, qwenThinking];

/** The persona serving a model id, or undefined. */
export function personaFor(modelId: string): Persona | undefined {
  return PERSONAS.find((p) => p.modelId === modelId);
}
