/**
 * The instruction-following check measured against the hand-labelled corpus (test/fixtures/instruction-corpus.ts).
 * Prints precision and recall per class; fails when the macro-averaged precision or recall falls below 0.95,
 * or when failure-vs-followed detection does.
 */
import { describe, expect, it } from 'vitest';
import { CORPUS, PROFILES } from '../fixtures/instruction-corpus.ts';
import { INSTRUCTION_CLASSES, checkInstructions } from '../../src/tasks/candidate-screening/instructions.ts';
import { classificationReport } from '../../src/aggregate/agreement.ts';

const FLOOR = 0.95;
const verdicts = CORPUS.map((item) => ({ item, v: checkInstructions(item.output, PROFILES[item.profile], { finishReason: item.finish_reason }) }));

describe('instruction-following corpus', () => {
  it('holds at least 80 items covering every class', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(80);
    expect(new Set(CORPUS.map((c) => c.id)).size).toBe(CORPUS.length);
    for (const cls of INSTRUCTION_CLASSES) expect(CORPUS.some((c) => c.expected_class === cls), cls).toBe(true);
  });

  it(`reaches precision and recall of ${FLOOR} per class, macro-averaged`, () => {
    const report = classificationReport(
      verdicts.map((x) => x.item.expected_class),
      verdicts.map((x) => x.v.class),
      INSTRUCTION_CLASSES,
    );
    const fmt = (x: number | null) => (x === null ? '   –' : x.toFixed(2).padStart(4));
    const lines = report.labels.map((l) => {
      const c = report.per_class[l]!;
      return `${l.padEnd(18)} support ${String(c.support).padStart(3)}  precision ${fmt(c.precision)}  recall ${fmt(c.recall)}`;
    });
    const misses = verdicts.filter((x) => x.v.class !== x.item.expected_class).map((x) => `  ${x.item.id}: expected ${x.item.expected_class}, got ${x.v.class} (${x.v.reason})`);
    console.log(
      [
        `instruction-following on ${CORPUS.length} hand-labelled outputs`,
        ...lines,
        `macro precision ${fmt(report.macro_precision)}, macro recall ${fmt(report.macro_recall)}, accuracy ${fmt(report.accuracy)}`,
        ...misses,
      ].join('\n'),
    );
    expect(report.macro_precision!, misses.join('\n')).toBeGreaterThanOrEqual(FLOOR);
    expect(report.macro_recall!, misses.join('\n')).toBeGreaterThanOrEqual(FLOOR);
  });

  it(`detects failures (any class but followed) with precision and recall of ${FLOOR}`, () => {
    const scored = verdicts.filter((x) => x.item.expected_class !== 'truncated');
    const failed = (c: string) => c !== 'followed' && c !== 'truncated';
    const tp = scored.filter((x) => failed(x.item.expected_class) && failed(x.v.class)).length;
    const predicted = scored.filter((x) => failed(x.v.class)).length;
    const actual = scored.filter((x) => failed(x.item.expected_class)).length;
    console.log(`failure detection: precision ${(tp / predicted).toFixed(3)}, recall ${(tp / actual).toFixed(3)} (${actual} failures, ${scored.length - actual} good answers)`);
    expect(tp / predicted).toBeGreaterThanOrEqual(FLOOR);
    expect(tp / actual).toBeGreaterThanOrEqual(FLOOR);
  });

  it('gives every verdict a class and a short reason', () => {
    for (const { item, v } of verdicts) {
      expect(v.reason.length, item.id).toBeGreaterThan(0);
      expect(v.reason.length, item.id).toBeLessThan(200);
      expect(v.followed, item.id).toBe(v.class === 'followed' ? true : v.class === 'truncated' ? null : false);
    }
  });
});
