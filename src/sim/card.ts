/**
 * The modelled GPU (one 16 GB card) and the KV-cache arithmetic vLLM does at start-up
 * (`gpu_worker.determine_available_memory` / `kv_cache_utils`):
 *
 *   KV bytes = total memory x gpu_memory_utilization - weights - non-KV reserve (activation peak of the
 *              profiling run, CUDA context and other non-torch memory)
 *   KV bytes per token = 2 (K and V) x layers x KV heads x head size x dtype bytes
 *   KV tokens = floor(KV bytes / per token / 16) x 16 (whole 16-token blocks)
 *
 * and the longest context vLLM lets the model serve there: its native `max_position_embeddings`, if
 * one such request fits the KV cache; otherwise vLLM refuses to start without `--max-model-len`, and
 * the largest value that fits is what it suggests (and what the simulator serves).
 */

export interface Architecture {
  /** Parameters (all loaded weights, vision tower included). */
  params: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  /** Bytes per weight and per KV element (bf16: 2). */
  dtypeBytes: number;
  /** `max_position_embeddings` of the model's config. */
  nativeMaxModelLen: number;
}

export interface CardOptions {
  /** `--gpu-memory-utilization`. @default 0.9 */
  gpuMemoryUtilization?: number;
}

const GiB = 1024 ** 3;

/** The modelled card. Memory is the nominal 16 GiB; bandwidth and reserve are assumptions (docs/simulator.md). */
export const CARD = {
  memoryBytes: 16 * GiB,
  gpuMemoryUtilization: 0.9,
  /** Activation peak + CUDA context + non-torch allocations vLLM subtracts besides the weights (assumed). */
  nonKvReserveBytes: 1 * GiB,
  /** Effective memory bandwidth a decode step reads weights and KV cache at (assumed, see docs). */
  bandwidthBytesPerS: 800e9,
  /** Scheduling, sampling and launch cost of a step with CUDA graphs (assumed). */
  stepOverheadS: 0.001,
};

const BLOCK = 16;

export interface KvArithmetic {
  usableBytes: number;
  weightsBytes: number;
  reserveBytes: number;
  kvBytes: number;
  kvBytesPerToken: number;
  kvTokens: number;
  /** The context length vLLM would serve on this card (native, or the largest that fits). */
  maxModelLen: number;
  /** Whether vLLM would need `--max-model-len` to start (the native length does not fit). */
  needsMaxModelLen: boolean;
}

/** The KV-cache arithmetic of a model on the card. */
export function kvArithmetic(arch: Architecture, opts: CardOptions = {}): KvArithmetic {
  const util = opts.gpuMemoryUtilization ?? CARD.gpuMemoryUtilization;
  const usableBytes = CARD.memoryBytes * util;
  const weightsBytes = arch.params * arch.dtypeBytes;
  const reserveBytes = CARD.nonKvReserveBytes;
  const kvBytes = usableBytes - weightsBytes - reserveBytes;
  const kvBytesPerToken = 2 * arch.layers * arch.kvHeads * arch.headDim * arch.dtypeBytes;
  const kvTokens = Math.max(0, Math.floor(kvBytes / kvBytesPerToken / BLOCK) * BLOCK);
  const needsMaxModelLen = kvTokens < arch.nativeMaxModelLen;
  return { usableBytes, weightsBytes, reserveBytes, kvBytes, kvBytesPerToken, kvTokens, maxModelLen: Math.min(arch.nativeMaxModelLen, kvTokens), needsMaxModelLen };
}
