/** Simulator building blocks in-process: tokenizer, profile finding, prompt features, schema filling, capacity maths. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/capacity.ts';
import { ClientPacer, VirtualClock } from '../../src/sim/clock.ts';
import { promptFeatures } from '../../src/sim/features.ts';
import { judgeProfile } from '../../src/sim/knowledge.ts';
import { MODEL_SPECS } from '../../src/sim/models.ts';
import { findProfile } from '../../src/sim/profile.ts';
import { conformToSchema } from '../../src/sim/schema-fill.ts';
import { countTokens, tokenize, truncateTokens } from '../../src/sim/tokenizer.ts';

const PROFILE = {
  name: 'Ana Souza',
  education: [{ school: 'MIT', degree: 'BS', field: 'Computer Science', start_year: 2012, end_year: 2016 }],
  experience: [{ company: 'Jane Street', title: 'Software Engineer', start: '2016-08', end: null, description: 'Trading systems {in OCaml}.' }],
  skills: ['OCaml'],
};

describe('tokenizer', () => {
  it('splits text into pieces that join back to it, about 4 characters a token for prose', () => {
    const text = 'Hello, world!  The quick brown fox jumps over the lazy dog.\n    {"a": [1, 2]} naïve 日本語 🙂';
    expect(tokenize(text).join('')).toBe(text);
    expect(countTokens(text)).toBe(tokenize(text).length);
    const prose = 'Evaluating a software engineering candidate involves looking at several factors, including their education and the companies they have worked for.';
    expect(prose.length / countTokens(prose)).toBeGreaterThan(3.5);
    expect(truncateTokens(prose, 5)).toMatchObject({ tokens: 5, truncated: true });
    expect(truncateTokens(prose, 500)).toMatchObject({ text: prose, truncated: false });
  });
});

describe('profile and features', () => {
  it('finds the first JSON object shaped like a CandidateProfile, skipping other braces', () => {
    const content = `Rules: answer {like this}. Example: {"recommendation": "Yes", "analysis": {}}\n${JSON.stringify(PROFILE, null, 2)}`;
    const found = findProfile([{ role: 'system', content: JSON.stringify(PROFILE) }, { role: 'user', content }]);
    expect(found?.profile.name).toBe('Ana Souza');
    expect(findProfile([{ role: 'user', content: 'no profile {here}' }])).toBeNull();
  });

  it('reads prompt features', () => {
    const text = JSON.stringify(PROFILE, null, 2);
    const loose = promptFeatures([{ role: 'user', content: `Evaluate and reply in JSON.\n${text}` }], text);
    expect(loose).toMatchObject({ asksJson: true, jsonOnly: false, listsAllowedValues: false, hasWorkedExample: false, short: true });
    const strict = promptFeatures(
      [{ role: 'system', content: 'Return JSON only, no code fences. recommendation: Strong Yes, Yes, Maybe, No, Strong No; ratings: Great, Good, Okay, Weak. Example: {"recommendation": "Yes", "reasoning": "x", "analysis": {}} /no_think' }, { role: 'user', content: text }],
      text,
    );
    expect(strict).toMatchObject({ jsonOnly: true, listsAllowedValues: true, hasWorkedExample: true, noThinkSwitch: true });
  });

  it('judges an elite engineer above a non-engineer', () => {
    const elite = judgeProfile(PROFILE);
    const weak = judgeProfile({ ...PROFILE, education: [{ ...PROFILE.education[0]!, school: 'Online Bootcamp' }], experience: [{ ...PROFILE.experience[0]!, company: 'Walmart', title: 'Cashier' }] });
    expect(elite.levels).toMatchObject({ educational_pedigree: 0, company_pedigree: 0, is_software_engineer: expect.any(Number) });
    expect(weak.levels).toMatchObject({ educational_pedigree: 3, company_pedigree: 3, is_software_engineer: 3 });
    expect(elite.recommendation).toBeLessThan(weak.recommendation);
  });
});

describe('schema filling', () => {
  it('keeps allowed values and replaces the rest', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['rec', 'n', 'tags'],
      properties: { rec: { enum: ['Yes', 'No', 'Strong No'] }, n: { type: 'integer', minimum: 0, maximum: 5 }, tags: { type: 'array', minItems: 1, items: { $ref: '#/$defs/t' } } },
      $defs: { t: { type: 'string', minLength: 3 } },
    };
    expect(conformToSchema(schema, { rec: 'Strong Reject No', n: 9.4, extra: 1 })).toEqual({ rec: 'Strong No', n: 5, tags: [expect.stringMatching(/.{3,}/)] });
    expect(conformToSchema(schema, { rec: 'Yes', n: 2, tags: ['abcd'] })).toEqual({ rec: 'Yes', n: 2, tags: ['abcd'] });
  });
});

describe('capacity model', () => {
  it('every model has a positive step-time profile fitted to its target', () => {
    for (const m of MODEL_SPECS) {
      expect(m.capacity.perSeqS).toBeGreaterThan(0);
      expect(m.capacity.prefillPerTokenS).toBeCloseTo(m.capacity.perSeqS * m.calibration.prefillRatio, 12);
    }
  });

  it('virtual clock: a late tick advances by at most two tick intervals, the rest is lag; idle time counts in full', () => {
    let real = 0;
    const clock = new VirtualClock(10, 3, { realNow: () => real, manual: true });
    const e = new Engine({ stepBaseS: 0.01, perSeqS: 0.001, prefillPerTokenS: 0.0001, kvCapacityTokens: 100_000, maxBatchedTokens: 8192 }, 4);
    clock.add(e);
    real = 100; // idle: nothing to hold back, so it is simulated time
    expect(clock.now()).toBeCloseTo(1, 9);
    void e.submit(clock.now(), 10, 1000, () => {});
    clock.wake();
    real += 3;
    clock.tick();
    expect(clock.now()).toBeCloseTo(1.03, 9);
    real += 500; // the process was starved for half a second
    expect(clock.now()).toBeCloseTo(1.09, 9); // not 6.03
    clock.tick();
    expect(clock.lagSeconds()).toBeCloseTo(0.494, 9);
    expect(clock.realSeconds()).toBeCloseTo(0.603, 9);
    expect(clock.now()).toBeCloseTo(1.09, 9);
  });

  it('client pacer: the clock holds while a batch arrives and while a freed slot waits for its refill (bounded), and counts what leaks', () => {
    let real = 1000;
    const clock = new VirtualClock(10, 3, { realNow: () => real, manual: true });
    const pacer = new ClientPacer(clock, { graceMs: 250, burstGapMs: 60, burstMaxMs: 2000 });
    clock.wake();
    const v0 = clock.now();
    // A batch arrives at an idle engine over 100 ms: the clock stands until 60 ms after the last arrival.
    pacer.arrived(real, true);
    real += 50;
    pacer.arrived(real, false);
    real += 50;
    pacer.arrived(real, false);
    clock.tick();
    expect(clock.now()).toBe(v0);
    real += 60;
    clock.tick();
    expect(clock.now()).toBe(v0);
    real += 3;
    clock.tick();
    expect(clock.now()).toBeCloseTo(v0 + 0.03, 9);
    // A request finishes: the clock holds until a new one takes its place...
    pacer.finished(real);
    const v1 = clock.now();
    real += 100; // the client takes 100 ms to send the next one
    clock.tick();
    expect(clock.now()).toBe(v1);
    pacer.arrived(real, false);
    real += 3;
    clock.tick();
    expect(clock.now()).toBeCloseTo(v1 + 0.03, 9);
    expect(pacer.clientWaitS).toBeCloseTo(0, 9);
    // ...for at most the grace: a 400 ms stall leaks (400 - 250) ms x 10 of simulated time, and is counted.
    pacer.finished(real);
    const v2 = clock.now();
    for (let i = 0; i < 400 / 3; i++) {
      real += 3;
      clock.tick();
    }
    real += 1;
    pacer.arrived(real, false);
    expect(clock.now() - v2).toBeCloseTo(1.5, 1);
    expect(pacer.clientWaitS).toBeCloseTo(clock.now() - v2, 9);
    expect(clock.heldSeconds()).toBeGreaterThan(0.25 + 0.16);
  });

  it('steps a virtual engine: FIFO queue beyond max-num-seqs, one token per running sequence per step', async () => {
    const e = new Engine({ stepBaseS: 0.01, perSeqS: 0.001, prefillPerTokenS: 0.0001, kvCapacityTokens: 100_000, maxBatchedTokens: 8192 }, 2);
    const progress: number[][] = [[], [], []];
    const jobs = [0, 1, 2].map((i) => e.submit(0, 100, 10, (g) => progress[i]!.push(g)));
    e.advance(0);
    expect([e.numRunning, e.numWaiting]).toEqual([2, 1]);
    for (let t = 0; t < 2; t += 0.001) e.advance(t);
    const [a, b, c] = await Promise.all(jobs.map((j) => j.done));
    expect(a!.queueS).toBe(0);
    expect(c!.queueS).toBeGreaterThan(0);
    expect(c!.e2eS).toBeGreaterThan(a!.e2eS);
    expect(b!.ttftS).toBeCloseTo(0.01 + 0.002 + 0.02, 6);
    expect(progress[0]!.at(-1)).toBe(10);
    expect(e.busy).toBe(false);
  });
});
