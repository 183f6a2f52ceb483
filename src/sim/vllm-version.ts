/**
 * The vLLM version the simulator impersonates (`--vllm-version`), and the API behaviours that differ
 * between the versions it knows:
 * - `guided_json` / `guided_regex` / `guided_choice` / `guided_grammar`: honoured up to 0.11 (deprecated
 *   since 0.10.2), removed in 0.12.0 (vLLM PR #29326), after which they are unknown fields, accepted and
 *   ignored (the answer is unconstrained).
 * - the reasoning text's fields (with a reasoning parser): `reasoning_content` up to 0.11; from 0.12
 *   `reasoning`, with `reasoning_content` kept as a deprecated copy (ChatMessage / DeltaMessage copy it in
 *   an after-validator in vLLM's protocol.py after the guided_* removal; docs, reasoning_outputs:
 *   "`reasoning` used to be called `reasoning_content`"). Later versions drop the copy; not modelled.
 * `reasoning_effort` is `Literal["low", "medium", "high"]` in both (checked in vLLM's protocol.py after
 * the guided_* removal), so `"none"` is a 400 in every version modelled here.
 * An empty `tool_calls: []` stays in every message: vLLM dropped empty lists only in PR #44105 (2026-05),
 * later than any version modelled here.
 */

export interface VllmBehaviour {
  /** What `GET /version` answers, e.g. `0.11.0`. */
  version: string;
  /** `guided_*` request fields are honoured (< 0.12). */
  guidedFields: boolean;
  /** The message/delta fields holding reasoning text under a reasoning parser (all the same value). */
  reasoningFields: readonly ('reasoning' | 'reasoning_content')[];
  /** `reasoning_effort` values the request model accepts. */
  reasoningEfforts: readonly string[];
}

const REASONING_EFFORTS = ['low', 'medium', 'high'] as const;

export const DEFAULT_VLLM_VERSION = '0.11.0';

/** Parse `0.11`, `0.11.0`, `0.12.1`, ...: versions from 0.11 on (older APIs differ in more than these switches). */
export function vllmBehaviour(text: string = DEFAULT_VLLM_VERSION): VllmBehaviour {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`--vllm-version must look like 0.11 or 0.12.0, got \`${text}\``);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 0 && minor < 11) throw new Error(`--vllm-version: the simulator models vLLM 0.11 and later, got \`${text}\``);
  const atLeast012 = major > 0 || minor >= 12;
  return {
    version: `${major}.${minor}.${m[3] ?? 0}`,
    guidedFields: !atLeast012,
    reasoningFields: atLeast012 ? ['reasoning', 'reasoning_content'] : ['reasoning_content'],
    reasoningEfforts: REASONING_EFFORTS,
  };
}
