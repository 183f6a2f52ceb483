/**
 * watch shows uncertainty: a paired interval per metric, so balanced flips read as no detectable
 * change, and a one-directional drop does not.
 */
import { describe, expect, it } from 'vitest';
import { compareSnapshots, flipDirections } from '../../src/commands/watch.ts';

type Brief = Parameters<typeof compareSnapshots>[0] extends Map<string, infer B> ? B : never;
const brief = (valid: number, right: number): Brief => ({ label: right ? 'Yes' : 'No', labelName: 'recommendation', valid: valid === 1, follows: 'followed', values: [valid, valid, 1, right] });
const snapshot = (xs: Array<[number, number]>) => new Map(xs.map((x, i) => [`c${i}`, brief(x[0], x[1])]));

describe('watch deltas', () => {
  it('balanced flips (8 better, 8 worse of 40): no detectable change, interval around 0', () => {
    const before = snapshot(Array.from({ length: 40 }, (_, i) => [1, i < 20 ? 1 : 0]));
    const after = snapshot(Array.from({ length: 40 }, (_, i) => [1, i < 12 ? 1 : i < 20 ? 0 : i < 28 ? 1 : 0]));
    const acc = compareSnapshots(before, after).find((c) => c.name === 'accuracy')!;
    expect(acc.delta).toBe(0);
    expect(acc.n).toBe(40);
    expect(acc.ci!.lo).toBeLessThan(0);
    expect(acc.ci!.hi).toBeGreaterThan(0);
    expect(acc.detectable).toBe(false);
    expect(compareSnapshots(before, after).some((c) => c.detectable)).toBe(false);
  });

  it('10 of 40 answers turning invalid, all one way: detectable, interval below 0', () => {
    const before = snapshot(Array.from({ length: 40 }, () => [1, 1]));
    const after = snapshot(Array.from({ length: 40 }, (_, i) => [i < 10 ? 0 : 1, 1]));
    const valid = compareSnapshots(before, after).find((c) => c.name === 'schema-valid')!;
    expect(valid.delta).toBeCloseTo(-0.25, 10);
    expect(valid.ci!.hi).toBeLessThan(0);
    expect(valid.detectable).toBe(true);
  });

  it('classifies flips as better, worse or sideways', () => {
    const b = (v: number, r: number) => brief(v, r);
    expect(flipDirections([{ before: b(0, 0), after: b(1, 0) }, { before: b(1, 1), after: b(1, 0) }, { before: b(1, 0), after: b(1, 0) }, { before: undefined, after: b(1, 1) }])).toEqual({ better: 1, worse: 1, sideways: 2 });
  });
});
