/** The simulator's API flags: --vllm-version, --reasoning-parser, and the opt-in thinking Qwen. */
import { describe, expect, it } from 'vitest';
import { parseSimArgs } from '../../src/sim/main.ts';
import { MODEL_SPECS, modelSpec } from '../../src/sim/models.ts';
import { vllmBehaviour } from '../../src/sim/vllm-version.ts';

describe('simulator API flags', () => {
  it('--vllm-version: 0.11 by default, any x.y[.z] from 0.11 on, refused otherwise with the flag named', () => {
    const d = parseSimArgs([], {});
    expect(d !== 'help' && d.vllmVersion).toBe('0.11.0');
    const o = parseSimArgs(['--vllm-version', '0.12'], {});
    expect(o !== 'help' && o.vllmVersion).toBe('0.12.0');
    expect(() => parseSimArgs(['--vllm-version', '0.10.2'], {})).toThrow(/--vllm-version: the simulator models vLLM 0.11 and later/);
    expect(() => parseSimArgs(['--vllm-version', 'latest'], {})).toThrow(/--vllm-version must look like 0.11 or 0.12.0, got `latest`/);
    expect(vllmBehaviour('0.11.1')).toMatchObject({ guidedFields: true, reasoningFields: ['reasoning_content'] });
    expect(vllmBehaviour('0.12.0')).toMatchObject({ guidedFields: false, reasoningFields: ['reasoning', 'reasoning_content'] });
    expect(vllmBehaviour('1.0')).toMatchObject({ guidedFields: false });
  });

  it('--reasoning-parser qwen3 only; Qwen/Qwen3-4B served on request, not by default', () => {
    const o = parseSimArgs(['--reasoning-parser', 'qwen3', '--model', 'Qwen/Qwen3-4B'], {});
    expect(o !== 'help' && [o.reasoningParser, o.models]).toEqual(['qwen3', ['Qwen/Qwen3-4B']]);
    expect(() => parseSimArgs(['--reasoning-parser', 'deepseek_r1'], {})).toThrow(/--reasoning-parser: the simulator knows only `qwen3`/);
    expect(MODEL_SPECS.map((m) => m.id)).not.toContain('Qwen/Qwen3-4B');
    expect(modelSpec('Qwen/Qwen3-4B')!.capacity).toEqual(modelSpec('Qwen/Qwen3-4B-Instruct-2507')!.capacity);
  });
});
