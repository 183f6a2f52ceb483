/**
 * A task's own code (task.json `module`), grounding read from the declared facts, and the rendered prompt
 * reaching the scorers: through real files (a project copy, a module file imported by URL, a recorded run
 * re-scored), never a mock of qualbench's modules.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { UserError } from '../../src/core/errors.ts';
import { loadTask } from '../../src/load/load-task.ts';
import { scoringTask } from '../../src/run-task.ts';
import { rescoreRun } from '../../src/rescore.ts';
import { parseResponse } from '../../src/score/parse.ts';
import { assertScorerIds, buildScorers, scoreResult } from '../../src/score/score-run.ts';
import type { ItemRow } from '../../src/core/records.ts';
import { result } from './aggregate-fixture.ts';

/** A copy of the project's data folders, to change a task on. */
function project(): string {
  const root = tempDir();
  for (const d of ['evals', 'prompts', 'datasets', 'tasks']) cpSync(join(REPO_ROOT, d), join(root, d), { recursive: true });
  return root;
}

function setModule(root: string, task: string, module: string): string {
  const file = join(root, 'tasks', task, 'task.json');
  const def = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...def, module }, null, 2));
  return file;
}

function ticket(id: string): ItemRow {
  const line = readFileSync(join(REPO_ROOT, 'datasets/tickets-golden/data.jsonl'), 'utf8').split('\n').find((l) => l.includes(`"${id}"`))!;
  return JSON.parse(line) as ItemRow;
}

const MODULE = `
export const scorers = {
  'follows-instructions': () => ({ parsed }) => ({ score: parsed.value !== null ? 1 : 0, label: parsed.value !== null ? 'json' : 'no-json' }),
  'short-summary': (task) => ({ parsed }) => ({ score: String(parsed.value?.summary ?? '').length <= 80 ? 1 : 0, label: task.name }),
};
`;

describe("a task's module", () => {
  it('a user module file is imported from the task folder; its scorers fill follows-instructions and register as <task>/<name>', async () => {
    const root = project();
    writeFileSync(join(root, 'tasks/ticket-triage/module.mjs'), MODULE);
    setModule(root, 'ticket-triage', 'module.mjs');
    const task = await scoringTask(loadTask(root, 'ticket-triage'));
    const ids = assertScorerIds(['schema', 'follows-instructions', 'ticket-triage/short-summary'], 'evals/ticket-triage.json', task);
    const item = ticket('tkt-0001');
    const content = '{"category": "billing", "priority": "P3", "summary": "Refund for unused seats on the free plan."}';
    const rec = scoreResult(result({ item_id: item.id, content }), item, buildScorers(ids, task));
    expect(rec.scores['follows-instructions']).toMatchObject({ score: 1, label: 'json' });
    expect(rec.scores['ticket-triage/short-summary']).toMatchObject({ score: 1, label: 'ticket-triage' });
    expect(rec.scores.schema!.score).toBe(1);
    expect(parseResponse(content).value).not.toBeNull();
  });

  it('a module exporting `default: { scorers }` (or CommonJS module.exports) is read the same way', async () => {
    const root = project();
    writeFileSync(join(root, 'tasks/ticket-triage/module.cjs'), "module.exports = { scorers: { 'has-json': () => ({ parsed }) => ({ score: parsed.value === null ? 0 : 1 }) } };");
    setModule(root, 'ticket-triage', 'module.cjs');
    const task = await scoringTask(loadTask(root, 'ticket-triage'));
    expect(assertScorerIds(['ticket-triage/has-json'], 'evals/ticket-triage.json', task)).toEqual(['ticket-triage/has-json']);
  });

  it('an eval naming a scorer the task does not provide is refused with the eval file and field', async () => {
    const task = await scoringTask(loadTask(REPO_ROOT, 'ticket-triage'));
    expect(() => assertScorerIds(['schema', 'follows-instructions'], 'evals/ticket-triage.json', task)).toThrow(/task `ticket-triage` provides none/);
    try {
      assertScorerIds(['ticket-triage/nope'], 'evals/ticket-triage.json', task);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toMatch(/unknown scorer `ticket-triage\/nope`/);
      expect(JSON.stringify(e)).toMatch(/"field":"scorers\.0"/);
    }
  });

  it.each([
    ['outside the folder', (root: string) => writeFileSync(join(root, 'tasks/outside.mjs'), MODULE), '../outside.mjs', /must sit inside the task folder/],
    ['missing', () => {}, 'nowhere.mjs', /not found in the task folder/],
    ['a folder', (root: string) => mkdirSync(join(root, 'tasks/ticket-triage/code')), 'code', /not a regular file/],
    ['a link leading out', (root: string) => (writeFileSync(join(root, 'elsewhere.mjs'), MODULE), symlinkSync(join(root, 'elsewhere.mjs'), join(root, 'tasks/ticket-triage/link.mjs'))), 'link.mjs', /not a regular file/],
    ['not a module', (root: string) => writeFileSync(join(root, 'tasks/ticket-triage/notes.txt'), 'x'), 'notes.txt', /not a JavaScript or TypeScript module/],
    ['an unknown built-in', () => {}, 'builtin:nope', /no built-in task module `nope`/],
    ['a syntax error', (root: string) => writeFileSync(join(root, 'tasks/ticket-triage/bad.mjs'), 'export const scorers = {'), 'bad.mjs', /could not be imported/],
    ['no scorers', (root: string) => writeFileSync(join(root, 'tasks/ticket-triage/empty.mjs'), 'export const x = 1;'), 'empty.mjs', /exports no `scorers`/],
    ['a scorer that is not a function', (root: string) => writeFileSync(join(root, 'tasks/ticket-triage/num.mjs'), "export const scorers = { 'x-y': 3 };"), 'num.mjs', /scorers\.x-y is not a function/],
  ])('a module %s is refused naming task.json and `module`', async (_what, prepare, module, message) => {
    const root = project();
    prepare(root);
    setModule(root, 'ticket-triage', module);
    const err = await (async () => scoringTask(loadTask(root, 'ticket-triage')))().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(message);
    expect(JSON.stringify(err)).toMatch(/tasks\/ticket-triage\/task\.json/);
    expect(JSON.stringify(err)).toMatch(/"field":"module"/);
  });
});

describe('grounding reads the facts the task declares', () => {
  it("ticket triage: an organisation the ticket never names is unsupported; the ticket's own words are grounded", async () => {
    const task = await scoringTask(loadTask(REPO_ROOT, 'ticket-triage'));
    const item = ticket('tkt-0003');
    const score = (summary: string) =>
      scoreResult(result({ item_id: item.id, content: JSON.stringify({ category: 'account', priority: 'P2', summary }) }), item, buildScorers(['grounding'], task)).scores.grounding!;
    expect(score('The customer at Globex Corporation cannot log in.')).toMatchObject({ score: 0, label: 'unsupported' });
    expect(score('Customer cannot reset the password.')).toMatchObject({ score: null, label: 'nothing-named' });
  });

  it('candidate screening: a school named in the profile is grounded, one it does not hold is not', async () => {
    const task = await scoringTask(loadTask(REPO_ROOT, 'candidate-screening'));
    const item = JSON.parse(readFileSync(join(REPO_ROOT, 'datasets/candidates-golden/data.jsonl'), 'utf8').split('\n')[0]!) as ItemRow & { candidate: { education: Array<{ school: string }> } };
    const school = item.candidate.education[0]!.school;
    const score = (reasoning: string) => scoreResult(result({ item_id: item.id, content: JSON.stringify({ recommendation: 'Yes', reasoning }) }), item, buildScorers(['grounding'], task)).scores.grounding!;
    expect(score(`Studied at ${school}.`)).toMatchObject({ score: 1, label: 'grounded' });
    expect(score('Studied at Miskatonic University.')).toMatchObject({ score: 0, label: 'unsupported' });
  });
});

describe('the rendered prompt reaches the follows-instructions scorer', () => {
  /** A recorded run whose answer to cand-0007 (v1) copies the prompt's rules: no phrase gives it away, only the prompt. */
  function runWithEcho(root: string): string {
    const run = join(root, 'run');
    cpSync(join(REPO_ROOT, 'test/fixtures/pre-task-seam-run'), run, { recursive: true });
    const tpl = readFileSync(join(root, 'prompts/candidate-screening/v1/user.hbs'), 'utf8');
    const rules = tpl.slice(tpl.indexOf('Look at the key'), tpl.indexOf('Candidate profile:')).trim();
    const file = join(run, 'results.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item_id: string; prompt_version: string; response: { content: string } | null });
    const target = lines.find((r) => r.item_id === 'cand-0007' && r.prompt_version === 'v1' && r.response)!;
    target.response!.content = rules;
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return run;
  }
  const label = (run: string) => {
    const rec = readFileSync(join(run, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item_id: string; prompt_version: string; scores: Record<string, { label?: string }> })
      .find((r) => r.item_id === 'cand-0007' && r.prompt_version === 'v1')!;
    return rec.scores['follows-instructions']!.label;
  };

  it('rescore re-renders the prompt from the run\'s prompt version and the row: a copy of its rules is prompt-echo', async () => {
    const root = project();
    const run = runWithEcho(root);
    await rescoreRun(root, run);
    expect(label(run)).toBe('prompt-echo');
  }, 60_000);

  it('a prompt version edited since the run is not shown to the scorers (it is not what the model saw)', async () => {
    const root = project();
    const run = runWithEcho(root);
    const user = join(root, 'prompts/candidate-screening/v1/user.hbs');
    writeFileSync(user, readFileSync(user, 'utf8').replace('explain your thinking', 'explain your reasoning'));
    await rescoreRun(root, run);
    expect(label(run)).toBe('prose');
  }, 60_000);
});
