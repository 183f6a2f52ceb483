/**
 * Re-run noise in the simulator: the model seed is "what the model is", the run seed is this run's
 * nondeterminism. Two run seeds on the same requests differ on a few percent of answers; the same
 * run seed (or --rerun-noise 0) gives identical answers; another model seed redraws most of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RERUN_NOISE, generateAnswer, rerunSeed, type GenerateInput } from '../../src/sim/generate.ts';
import { parseSimArgs } from '../../src/sim/main.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

const rows = readFileSync(join(REPO_ROOT, 'datasets/candidates-golden/data.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; candidate: unknown });
const template = readFileSync(join(REPO_ROOT, 'prompts/candidate-screening/v2/user.hbs'), 'utf8');
const MODELS = ['meta-llama/Llama-3.2-1B-Instruct', 'google/gemma-3-4b-it', 'Qwen/Qwen3-4B-Instruct-2507'];

function answers(over: Partial<GenerateInput>): string[] {
  const out: string[] = [];
  for (const model of MODELS) {
    for (const r of rows) {
      const content = template.replace('{{json candidate}}', JSON.stringify(r.candidate));
      out.push(generateAnswer({ serverSeed: 0, model, messages: [{ role: 'user', content }], temperature: 0, seed: null, maxTokens: 768, mode: 'free', schema: null, thinking: true, ...over }));
    }
  }
  return out;
}
const differing = (a: string[], b: string[]) => a.filter((x, i) => x !== b[i]).length / a.length;

describe('simulator re-run noise', () => {
  const run1 = answers({ runSeed: 1 });

  it('two run seeds differ on a few percent of answers (default 3%); the same run seed is identical', () => {
    expect(DEFAULT_RERUN_NOISE).toBe(0.03);
    const share = differing(run1, answers({ runSeed: 2 }));
    // 1,815 answers, expected share 0.03: sd ≈ 0.004, so 0.015..0.05 is far outside chance.
    expect(share).toBeGreaterThan(0.015);
    expect(share).toBeLessThan(0.05);
    expect(answers({ runSeed: 1 })).toEqual(run1);
  });

  it('the share follows --rerun-noise; 0 makes re-runs bit-exact', () => {
    expect(answers({ runSeed: 1, rerunNoise: 0 })).toEqual(answers({ runSeed: 2, rerunNoise: 0 }));
    const share = differing(answers({ runSeed: 1, rerunNoise: 0.2 }), answers({ runSeed: 2, rerunNoise: 0.2 }));
    expect(share).toBeGreaterThan(0.16);
    expect(share).toBeLessThan(0.24);
  });

  it('another model seed is another model: most answers differ', () => {
    expect(differing(run1, answers({ serverSeed: 1, runSeed: 1 }))).toBeGreaterThan(0.5);
  });

  it('rerunSeed keeps the request key unless the run redraws it', () => {
    expect(rerunSeed('abc', 5, 0)).toBe('abc');
    expect(rerunSeed('abc', 5, 1)).not.toBe('abc');
  });

  it('flags: --run-seed N|random and --rerun-noise P, refused out of range', () => {
    const o = parseSimArgs(['--run-seed', '7', '--rerun-noise', '0.1'], {});
    expect(o !== 'help' && [o.runSeed, o.rerunNoise]).toEqual([7, 0.1]);
    const d = parseSimArgs([], {});
    expect(d !== 'help' && [d.runSeed, d.rerunNoise]).toEqual([0, 0.03]);
    const r = parseSimArgs(['--run-seed', 'random'], {});
    expect(r !== 'help' && Number.isInteger(r.runSeed)).toBe(true);
    expect(() => parseSimArgs(['--rerun-noise', '1.5'], {})).toThrow(/--rerun-noise must be a share from 0 to 1/);
    expect(() => parseSimArgs(['--run-seed', 'x'], {})).toThrow(/--run-seed must be an integer or `random`/);
  });
});
