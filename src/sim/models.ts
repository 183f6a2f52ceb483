/**
 * The served models: ids, chat-template token costs, and the capacity calibration to the team's
 * measurements on one 16 GB GPU (total tokens/s at saturation with ~600-token prompts).
 */
import { calibrate, type CalibrationTarget, type CapacityProfile } from './capacity.ts';
import type { ChatTemplateCost } from './tokenizer.ts';

export interface ModelSpec {
  id: string;
  template: ChatTemplateCost;
  calibration: CalibrationTarget;
  capacity: CapacityProfile;
}

function spec(id: string, template: ChatTemplateCost, calibration: CalibrationTarget): ModelSpec {
  return { id, template, calibration, capacity: calibrate(calibration) };
}

/** Every model the simulator can serve, in default order (the first is the default model). */
export const MODEL_SPECS: readonly ModelSpec[] = [
  spec(
    'meta-llama/Llama-3.2-1B-Instruct',
    // BOS + the default system header with "Cutting Knowledge Date ... Today Date ..." + generation prompt.
    { base: 28, perMessage: 5 },
    { totalTokensPerS: 19_813, promptTokens: 600, completionTokens: 121, concurrency: 128, stepBaseS: 0.004, prefillRatio: 0.25, kvCapacityTokens: 480_000 },
  ),
  spec(
    'google/gemma-3-4b-it',
    { base: 4, perMessage: 5 },
    { totalTokensPerS: 2_511, promptTokens: 600, completionTokens: 308, concurrency: 128, stepBaseS: 0.01, prefillRatio: 0.25, kvCapacityTokens: 160_000 },
  ),
  spec(
    'Qwen/Qwen3-4B-Instruct-2507',
    { base: 3, perMessage: 5 },
    { totalTokensPerS: 1_533, promptTokens: 600, completionTokens: 311, concurrency: 128, stepBaseS: 0.011, prefillRatio: 0.25, kvCapacityTokens: 150_000 },
  ),
];

/** The spec of a served model id, or undefined. */
export function modelSpec(id: string): ModelSpec | undefined {
  return MODEL_SPECS.find((m) => m.id === id);
}
