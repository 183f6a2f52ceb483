/**
 * Vitest matchers for teams that test prompts in their own suites. Importing this module registers them:
 *
 * @example
 * import 'qualbench/vitest';
 * expect(answer).toMeetContract();                          // the project's task's contract (see below)
 * expect(answer).toMeetContract({ task: 'my-task' }); // a named task (or a task object from `task()`)
 * expect(answer).toMeetContract(mySchema, { strict: true }); // any JSON Schema; strict: nothing around the object
 * expect(answer).toFollowInstructions(profile);             // not a template, refusal, question back, other person...
 * expect(answer).not.toFollowInstructions(profile);
 *
 * With no schema or task, `toMeetContract()` checks against the project's task (the cwd's
 * tasks/<name>/contract.schema.json when the project has exactly one task; several: name one; no tasks/
 * folder: the shipped candidate-screening contract); a failing message names the contract file it used.
 */
import { expect } from 'vitest';
import type { CandidateProfile } from './tasks/candidate-screening/records.ts';
import type { ContractCheckOptions } from './score/contract.ts';
import type { ScoringTask } from './score/scorer.ts';
import { checkContract, type PublicContractOptions } from './public-contract.ts';
import { checkInstructions, type CheckInstructionsOptions } from './tasks/candidate-screening/instructions.ts';

interface QualbenchMatchers<R = unknown> {
  /**
   * The answer (text or object) is, or holds, one JSON object that meets the contract: the given schema or
   * task, else the project's task (see `task()` in `qualbench`). A failure names the contract file.
   */
  toMeetContract(schemaOrOptions?: Record<string, unknown> | ScoringTask | PublicContractOptions, opts?: ContractCheckOptions & PublicContractOptions): R;
  /** The answer does the task for this candidate (instruction-following class `followed`). */
  toFollowInstructions(profile: CandidateProfile | null, opts?: CheckInstructionsOptions): R;
}

declare module 'vitest' {
  interface Matchers<T = any> extends QualbenchMatchers<T> {}
}

function preview(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
}

/** The matchers, for `expect.extend` in a setup file if you prefer to register them yourself. */
export const qualbenchMatchers = {
  toMeetContract(received: unknown, schemaOrOptions?: Record<string, unknown> | ScoringTask | PublicContractOptions, opts?: PublicContractOptions) {
    if (typeof received !== 'string' && (received === null || typeof received !== 'object')) {
      return { pass: false, message: () => `expected an answer (a string or an object), got ${typeof received}` };
    }
    const r = checkContract(received as string | Record<string, unknown>, schemaOrOptions, opts);
    return {
      pass: r.pass,
      message: () =>
        r.pass
          ? `expected ${preview(received)} not to meet the contract (${r.contractFile}), but it does`
          : `expected ${preview(received)} to meet the contract (${r.contractFile}):\n  ${r.errors.slice(0, 5).join('\n  ')}`,
    };
  },
  toFollowInstructions(received: unknown, profile: CandidateProfile | null, opts?: CheckInstructionsOptions) {
    if (typeof received !== 'string') return { pass: false, message: () => `expected the answer text (a string), got ${typeof received}` };
    const v = checkInstructions(received, profile, opts);
    return {
      pass: v.followed === true,
      message: () =>
        v.followed === true
          ? `expected ${preview(received)} not to follow the instructions, but it did (${v.reason})`
          : `expected ${preview(received)} to follow the instructions, but it is \`${v.class}\`: ${v.reason}`,
    };
  },
};

expect.extend(qualbenchMatchers);
