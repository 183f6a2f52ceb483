/**
 * The public API's default task: an explicit schema or task wins; else the project's (the cwd's, or
 * `root`'s) tasks/<name>/; several need a name; only a project without tasks/ falls back to the shipped
 * candidate screening. Real files in temporary projects; the matchers run as a team's tests run them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkContract, createContractChecker, parseResponse, readPrediction, scoreAnswer, task, SCORERS } from 'qualbench';
import { qualbenchMatchers } from 'qualbench/vitest';
import { REPO_ROOT } from '../helpers/cli.ts';
import { answer, row } from './aggregate-fixture.ts';

const CONTRACT = 'tasks/candidate-screening/contract.schema.json';
/** Meets the shipped contract; lacks the field the project's contract adds. */
const good = answer('Yes', { reasoning: 'Built payment systems at Stripe.' });
const withConfidence = answer('Yes', { reasoning: 'Built payment systems at Stripe.', confidence: 0.8 });

let work: string;
/** A project whose own copy of candidate screening requires `confidence`, as a team would edit it after `qualbench init`. */
let ownTask: string;
/** A project with two task folders. */
let twoTasks: string;
/** A project with no tasks/ folder. */
let noTasks: string;
const cwd = process.cwd();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'qualbench-public-task-'));
  ownTask = join(work, 'own');
  cpSync(join(REPO_ROOT, 'tasks/candidate-screening'), join(ownTask, 'tasks/candidate-screening'), { recursive: true });
  const contract = JSON.parse(readFileSync(join(ownTask, CONTRACT), 'utf8')) as { properties: Record<string, unknown>; required: string[] };
  contract.properties.confidence = { type: 'number', minimum: 0, maximum: 1 };
  contract.required.push('confidence');
  writeFileSync(join(ownTask, CONTRACT), JSON.stringify(contract, null, 2));
  twoTasks = join(work, 'two');
  for (const t of ['candidate-screening', 'ticket-triage']) cpSync(join(REPO_ROOT, 'tasks', t), join(twoTasks, 'tasks', t), { recursive: true });
  noTasks = join(work, 'none');
  mkdirSync(noTasks);
});

afterEach(() => process.chdir(cwd));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the project's own task (one tasks/<name>/) is the default", () => {
  it('checkContract: an answer without the added required field fails against it, while the shipped contract passes it', () => {
    process.chdir(ownTask);
    const r = checkContract(good);
    expect(r.pass).toBe(false);
    expect(r.errors).toContain("/ must have required property 'confidence'");
    expect(r.contractFile).toBe(CONTRACT);
    expect(checkContract(withConfidence)).toMatchObject({ pass: true, contractFile: CONTRACT });
    // The shipped contract says the opposite on both: this is what a silent default would have judged by.
    expect(checkContract(good, { root: noTasks }).pass).toBe(true);
    expect(checkContract(withConfidence, { root: noTasks }).pass).toBe(false);
    // The same by `root`, from anywhere.
    process.chdir(cwd);
    expect(checkContract(good, { root: ownTask })).toMatchObject({ pass: false, contractFile: CONTRACT });
    expect(createContractChecker({ root: ownTask })(good, { strict: true }).pass).toBe(false);
  });

  it('toMeetContract(): fails naming the project contract file it checked against', () => {
    process.chdir(ownTask);
    expect(good).not.toMeetContract();
    expect(withConfidence).toMeetContract();
    const fail = qualbenchMatchers.toMeetContract(good);
    expect(fail.pass).toBe(false);
    expect(fail.message()).toContain(`to meet the contract (${CONTRACT})`);
    expect(fail.message()).toContain("required property 'confidence'");
    expect(() => expect(good).toMeetContract()).toThrow(CONTRACT);
    // Explicit arguments still win: the original (schema, opts) shape, and a task object.
    expect(good).toMeetContract({ type: 'object' }, { strict: true });
    expect(qualbenchMatchers.toMeetContract(good, { required: ['nope'] }).message()).toContain('(the given schema)');
    const shipped = task(undefined, { root: noTasks });
    expect(good).toMeetContract(shipped);
    expect(good).toMeetContract({ task: shipped, strict: true });
    expect(good).toMeetContract(undefined, { task: shipped });
  });

  it('task() says which file it read; scoreAnswer, SCORERS and readPrediction use the same task', () => {
    const t = task(undefined, { root: ownTask });
    expect(t).toMatchObject({ name: 'candidate-screening', source: 'project', file: 'tasks/candidate-screening/task.json', contractFile: CONTRACT });
    expect(t.module?.scorers?.['follows-instructions']).toBeTypeOf('function');
    const item = row('c1', 'Yes');
    expect(scoreAnswer(good, item, { root: ownTask, scorers: ['schema'] }).schema).toMatchObject({ score: 0 });
    expect(scoreAnswer(good, item, { root: noTasks, scorers: ['schema'] }).schema).toMatchObject({ score: 1 });
    expect(scoreAnswer(good, item, { task: t, scorers: ['schema'] }).schema).toMatchObject({ score: 0 });
    process.chdir(ownTask);
    expect(scoreAnswer(good, item, { scorers: ['schema'] }).schema).toMatchObject({ score: 0 });
    expect(SCORERS.schema()({ result: {} as never, parsed: parseResponse(good), item }).score).toBe(0);
    expect(readPrediction(parseResponse(good))).toMatchObject({ recommendation: 'Yes' });
  });

  it('a project task with its own name is found without naming it', () => {
    const renamed = join(work, 'renamed');
    cpSync(join(REPO_ROOT, 'tasks/ticket-triage'), join(renamed, 'tasks/tickets'), { recursive: true });
    const def = JSON.parse(readFileSync(join(renamed, 'tasks/tickets/task.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(renamed, 'tasks/tickets/task.json'), JSON.stringify({ ...def, name: 'tickets' }));
    expect(task(undefined, { root: renamed })).toMatchObject({ name: 'tickets', contractFile: 'tasks/tickets/contract.schema.json', source: 'project' });
    // A candidate-screening answer is not a ticket-triage answer.
    expect(checkContract(good, { root: renamed })).toMatchObject({ pass: false, contractFile: 'tasks/tickets/contract.schema.json' });
  });
});

describe('several tasks: the name is required', () => {
  it('refuses to guess, listing them; a named one is used', () => {
    expect(() => checkContract(good, { root: twoTasks })).toThrow(/2 tasks \(candidate-screening, ticket-triage\): name the one/);
    process.chdir(twoTasks);
    expect(() => expect(good).toMeetContract()).toThrow(/toMeetContract\(\{ task: 'candidate-screening' \}\)/);
    expect(good).toMeetContract({ task: 'candidate-screening' });
    expect(checkContract(good, { task: 'ticket-triage' })).toMatchObject({ pass: false, contractFile: 'tasks/ticket-triage/contract.schema.json' });
    expect(task('ticket-triage').source).toBe('project');
  });

  it('an empty tasks/ folder is an error, not the shipped task', () => {
    const empty = join(work, 'empty');
    mkdirSync(join(empty, 'tasks'), { recursive: true });
    expect(() => checkContract(good, { root: empty })).toThrow(/holds no task/);
  });
});

describe('no tasks/ folder: the shipped candidate screening', () => {
  it('falls back, and says so', () => {
    const t = task(undefined, { root: noTasks });
    expect(t).toMatchObject({ name: 'candidate-screening', source: 'shipped' });
    expect(t.contractFile).toBe(join(REPO_ROOT, CONTRACT));
    process.chdir(noTasks);
    expect(good).toMeetContract();
    expect(qualbenchMatchers.toMeetContract('{}').message()).toContain(join(REPO_ROOT, CONTRACT));
    expect(scoreAnswer(good, row('c1', 'Yes'), { scorers: ['schema', 'follows-instructions'] })).toMatchObject({ schema: { score: 1 } });
  });

  it("qualbench's own repository (its tasks/ are the shipped ones) judges by the shipped candidate screening", () => {
    process.chdir(REPO_ROOT);
    expect(task()).toMatchObject({ name: 'candidate-screening', source: 'shipped', contractFile: CONTRACT });
  });
});

describe('a task whose module is a file', () => {
  it('a synchronous scoreAnswer refuses it rather than score without its scorers; loadTaskWithModule imports it', async () => {
    const proj = join(work, 'moduled');
    cpSync(join(REPO_ROOT, 'tasks/ticket-triage'), join(proj, 'tasks/ticket-triage'), { recursive: true });
    writeFileSync(join(proj, 'tasks/ticket-triage/scorers.mjs'), "export const scorers = { 'always-one': () => () => ({ score: 1, label: 'one' }) };\n");
    const def = JSON.parse(readFileSync(join(proj, 'tasks/ticket-triage/task.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(proj, 'tasks/ticket-triage/task.json'), JSON.stringify({ ...def, module: 'scorers.mjs' }));
    expect(() => scoreAnswer('{}', { id: 'x' } as never, { root: proj, scorers: ['schema'] })).toThrow(/loadTaskWithModule\('ticket-triage'\)/);
    // The contract check needs no module.
    expect(checkContract('{}', { root: proj }).contractFile).toBe('tasks/ticket-triage/contract.schema.json');
    const { loadTaskWithModule } = await import('qualbench');
    const t = await loadTaskWithModule(undefined, { root: proj });
    expect(t.module?.scorers?.['always-one']).toBeTypeOf('function');
    expect(scoreAnswer('{}', { id: 'x' } as never, { task: t, scorers: ['schema'] }).schema).toMatchObject({ score: 0 });
  });
});
