/**
 * The served models: ids, chat-template token costs, architectures, and the capacity model calibrated
 * to the team's measurements on one 16 GB GPU, each at the operating point it was measured at.
 *
 * - KV capacity is derived from the architecture (card.ts): what is left of 0.9 x 16 GiB after the
 *   weights and the activation/runtime reserve, divided by the KV bytes a token takes.
 * - A step costs the weights read once (bandwidth), compute per token and attention per context token
 *   (the KV cache read); the per-token compute `perTokenS` of each model and the eager-mode step cost are
 *   fitted by `node bench/calibrate.ts` to the team's figures at their operating points
 *   (docs/simulator.md, Calibration); `test/unit/sim-capacity.test.ts` checks they still hit them.
 */
import type { CapacityProfile } from './capacity.ts';
import { CARD, kvArithmetic, type Architecture, type CardOptions } from './card.ts';
import type { ChatTemplateCost } from './tokenizer.ts';

/** A throughput the team measured, and the conditions it was measured under. */
export interface OperatingPoint {
  /** What the team measured, in their words. */
  label: string;
  /** Total (prompt + completion) tokens per second. */
  totalTokensPerS: number;
  promptTokens: number;
  completionTokens: number;
  /** Requests in the run. */
  requests: number;
  /** Requests in flight at once (the client's limit; the server runs at most its own). */
  concurrency: number;
  enforceEager?: boolean;
  /** Which constant this point fits: the model's per-token compute, or the eager step cost. */
  fits: 'perTokenS' | 'eagerStepS';
}

export interface ModelSpec {
  id: string;
  template: ChatTemplateCost;
  architecture: Architecture;
  operatingPoints: readonly OperatingPoint[];
  /** Fitted compute per token (decoded or prefilled), seconds. */
  perTokenS: number;
  /** Fitted extra cost of a step without CUDA graphs, seconds. */
  eagerStepS: number;
  /** Total tokens/s at saturation (a 5,000-request batch, CUDA graphs): what `--speed auto` scales by. */
  calibration: { totalTokensPerS: number; prefillRatio: number };
  /** The default launch's profile (0.9 utilisation, vLLM's defaults, prefix caching on). */
  capacity: CapacityProfile;
}

/** A prompt token costs the same compute as a decoded one; decode's extra cost is the weights read (base). */
const PREFILL_RATIO = 1;

/** Launch options that change the capacity model (vLLM's engine arguments). */
export interface LaunchOptions extends CardOptions {
  /** `--max-num-batched-tokens`. @default 2048 (vLLM's API-server default on GPUs under 70 GiB) */
  maxNumBatchedTokens?: number;
  /** `--enforce-eager`. @default false */
  enforceEager?: boolean;
  /** `--enable-prefix-caching` / `--no-enable-prefix-caching`. @default true */
  prefixCaching?: boolean;
}

/** vLLM's `max_num_batched_tokens` default for the OpenAI server on GPUs under 70 GiB (arg_utils.py). */
export const DEFAULT_MAX_NUM_BATCHED_TOKENS = 2048;

/** The capacity profile of a model under launch options. */
export function capacityProfile(spec: Pick<ModelSpec, 'architecture' | 'perTokenS' | 'eagerStepS'>, opts: LaunchOptions = {}): CapacityProfile {
  const kv = kvArithmetic(spec.architecture, opts);
  const card = { ...CARD, ...opts };
  return {
    stepBaseS: card.stepOverheadS + kv.weightsBytes / card.bandwidthBytesPerS,
    perSeqS: spec.perTokenS,
    prefillPerTokenS: spec.perTokenS * PREFILL_RATIO,
    attnPerContextTokenS: kv.kvBytesPerToken / card.bandwidthBytesPerS,
    eagerStepS: spec.eagerStepS,
    enforceEager: opts.enforceEager ?? false,
    kvCapacityTokens: kv.kvTokens,
    maxBatchedTokens: opts.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS,
    prefixCaching: opts.prefixCaching ?? true,
  };
}

function spec(s: Omit<ModelSpec, 'capacity' | 'calibration'>, saturatedTokensPerS: number): ModelSpec {
  return { ...s, calibration: { totalTokensPerS: saturatedTokensPerS, prefillRatio: PREFILL_RATIO }, capacity: capacityProfile(s) };
}

/**
 * The team's 5,000-request batches ran saturated: the client kept more requests in flight than the
 * server runs at once (qualbench's auto concurrency grows until the server queues; a batch sent at once
 * does the same), so the server ran at its own limits — 256 sequences or what its KV cache holds.
 * Modelled as all 5,000 sent at once.
 */
const BATCH = { requests: 5000, concurrency: 5000 } as const;

/** Every model the simulator can serve, in default order (the first is the default model). */
export const MODEL_SPECS: readonly ModelSpec[] = [
  spec(
    {
      id: 'meta-llama/Llama-3.2-1B-Instruct',
      // BOS + the default system header with "Cutting Knowledge Date ... Today Date ..." + generation prompt.
      template: { base: 28, perMessage: 5 },
      // config.json: 16 layers, 8 KV heads x 64, bf16, 131,072 positions; 1.24B parameters.
      architecture: { params: 1.24e9, layers: 16, kvHeads: 8, headDim: 64, dtypeBytes: 2, nativeMaxModelLen: 131_072 },
      operatingPoints: [{ label: '5K batch in 1.8 min: 19,813 total tok/s', totalTokensPerS: 19_813, promptTokens: 308, completionTokens: 121, ...BATCH, fits: 'perTokenS' }],
      perTokenS: 0.00004144,
      eagerStepS: 0.0682,
    },
    19_813,
  ),
  spec(
    {
      id: 'google/gemma-3-4b-it',
      template: { base: 4, perMessage: 5 },
      // config.json text_config: 34 layers, 4 KV heads x 256, bf16, 131,072 positions; 4.30B parameters
      // (vision tower included: vLLM loads it).
      architecture: { params: 4.3e9, layers: 34, kvHeads: 4, headDim: 256, dtypeBytes: 2, nativeMaxModelLen: 131_072 },
      operatingPoints: [{ label: '5K batch in 36.8 min: 2,511 total tok/s', totalTokensPerS: 2_511, promptTokens: 788, completionTokens: 308, ...BATCH, fits: 'perTokenS' }],
      perTokenS: 0.0002401,
      eagerStepS: 0.145,
    },
    2_511,
  ),
  spec(
    {
      id: 'Qwen/Qwen3-4B-Instruct-2507',
      template: { base: 3, perMessage: 5 },
      // config.json: 36 layers, 8 KV heads x 128, bf16, 262,144 positions; 4.02B parameters.
      architecture: { params: 4.02e9, layers: 36, kvHeads: 8, headDim: 128, dtypeBytes: 2, nativeMaxModelLen: 262_144 },
      operatingPoints: [
        { label: '10 requests: 1,533 total tok/s', totalTokensPerS: 1_533, promptTokens: 790, completionTokens: 311, requests: 10, concurrency: 10, fits: 'perTokenS' },
        { label: '5K batch with enforce_eager (other server settings): 740 total tok/s', totalTokensPerS: 740, promptTokens: 790, completionTokens: 311, ...BATCH, enforceEager: true, fits: 'eagerStepS' },
      ],
      perTokenS: 0.0001976,
      eagerStepS: 0.153,
    },
    // Projected by the capacity model (5,000-request batch, CUDA graphs); not measured.
    2_725,
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
export const OPT_IN_MODEL_SPECS: readonly ModelSpec[] = [
  // Same weights' shape and capacity as Instruct-2507; its config.json's context is 40,960 (not 262,144),
  // which fits the 16 GB card's KV cache, so vLLM starts it without --max-model-len.
  { ...MODEL_SPECS[2]!, id: 'Qwen/Qwen3-4B', architecture: { ...MODEL_SPECS[2]!.architecture, nativeMaxModelLen: 40_960 } },
];

/** The spec of a served model id (default or opt-in), or undefined. */
export function modelSpec(id: string): ModelSpec | undefined {
  return MODEL_SPECS.find((m) => m.id === id) ?? OPT_IN_MODEL_SPECS.find((m) => m.id === id);
}
