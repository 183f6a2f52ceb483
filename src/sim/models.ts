/**
 * The served models: ids, chat-template token costs, and the capacity calibration to the team's
 * measurements on one 16 GB GPU (total tokens/s at saturation, at the team's own request sizes).
 * The step-time constants are fitted in virtual time by `node bench/calibrate.ts` (see
 * docs/simulator.md, Calibration); `test/unit/sim-capacity.test.ts` checks they still hit the targets.
 */
import type { CalibrationTarget, CapacityProfile } from './capacity.ts';
import type { ChatTemplateCost } from './tokenizer.ts';

export interface ModelSpec {
  id: string;
  template: ChatTemplateCost;
  calibration: CalibrationTarget;
  capacity: CapacityProfile;
}

function spec(id: string, template: ChatTemplateCost, calibration: CalibrationTarget, perSeqS: number): ModelSpec {
  return {
    id,
    template,
    calibration,
    capacity: {
      stepBaseS: calibration.stepBaseS,
      perSeqS,
      prefillPerTokenS: perSeqS * calibration.prefillRatio,
      kvCapacityTokens: calibration.kvCapacityTokens,
      maxBatchedTokens: calibration.maxBatchedTokens ?? 8192,
    },
  };
}

/**
 * A prompt token costs as much GPU time as a decoded one (prefillRatio 1): at the batch sizes of a
 * saturated server both are compute-bound, and it is what makes the team's total tokens/s carry over
 * to requests of another shape (see docs/simulator.md for what this leaves out).
 */
const PREFILL_RATIO = 1;

/** Every model the simulator can serve, in default order (the first is the default model). */
export const MODEL_SPECS: readonly ModelSpec[] = [
  spec(
    'meta-llama/Llama-3.2-1B-Instruct',
    // BOS + the default system header with "Cutting Knowledge Date ... Today Date ..." + generation prompt.
    { base: 28, perMessage: 5 },
    // Measured: 19,813 total tok/s, 121 completion tokens, ~429 tokens a request.
    { totalTokensPerS: 19_813, promptTokens: 308, completionTokens: 121, concurrency: 128, stepBaseS: 0.004, prefillRatio: PREFILL_RATIO, kvCapacityTokens: 480_000 },
    0.00004097,
  ),
  spec(
    'google/gemma-3-4b-it',
    { base: 4, perMessage: 5 },
    // Measured: 2,511 total tok/s, 308 completion tokens, ~1,096 a request.
    { totalTokensPerS: 2_511, promptTokens: 788, completionTokens: 308, concurrency: 128, stepBaseS: 0.01, prefillRatio: PREFILL_RATIO, kvCapacityTokens: 160_000 },
    0.0003747,
  ),
  spec(
    'Qwen/Qwen3-4B-Instruct-2507',
    { base: 3, perMessage: 5 },
    // Measured: 1,533 total tok/s, 311 completion tokens (prompt sizes as Gemma's).
    { totalTokensPerS: 1_533, promptTokens: 790, completionTokens: 311, concurrency: 128, stepBaseS: 0.011, prefillRatio: PREFILL_RATIO, kvCapacityTokens: 150_000 },
    0.00062627,
  ),
];

/**
 * Mean request sizes of `npm run demo` (candidate-screening v1-v3 over the golden sample), as the
 * simulator counts them: the demo's requests are larger than the team's for Llama.
 */
export const DEMO_REQUEST_SIZES: Readonly<Record<string, { promptTokens: number; completionTokens: number }>> = {
  'meta-llama/Llama-3.2-1B-Instruct': { promptTokens: 851, completionTokens: 142 },
  'google/gemma-3-4b-it': { promptTokens: 827, completionTokens: 268 },
  'Qwen/Qwen3-4B-Instruct-2507': { promptTokens: 826, completionTokens: 274 },
};

/**
 * Models served only when asked for (`--model ID`), not by default: `Qwen/Qwen3-4B`, the thinking
 * (hybrid) Qwen 3 4B, with the Instruct-2507's template and capacity (same architecture and size; not
 * measured separately).
 */
export const OPT_IN_MODEL_SPECS: readonly ModelSpec[] = [{ ...MODEL_SPECS[2]!, id: 'Qwen/Qwen3-4B' }];

/** The spec of a served model id (default or opt-in), or undefined. */
export function modelSpec(id: string): ModelSpec | undefined {
  return MODEL_SPECS.find((m) => m.id === id) ?? OPT_IN_MODEL_SPECS.find((m) => m.id === id);
}
