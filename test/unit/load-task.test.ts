import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTask } from '../../src/load/load-task.ts';
import { UserError } from '../../src/core/errors.ts';
import { classLabels, readLabel, taskProblems, TaskDefinition } from '../../src/core/task-records.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A project with a copy of the candidate-screening task, its task.json edited. */
function withTask(edit: (t: Record<string, any>) => void): string {
  const root = tempDir();
  const dir = join(root, 'tasks/candidate-screening');
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO_ROOT, 'tasks/candidate-screening'), dir, { recursive: true });
  const t = JSON.parse(readFileSync(join(dir, 'task.json'), 'utf8')) as Record<string, any>;
  edit(t);
  writeFileSync(join(dir, 'task.json'), JSON.stringify(t, null, 2));
  return root;
}

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('loadTask', () => {
  it('loads the shipped candidate-screening task: labels with scales, contract, stratification, the cascade threshold', () => {
    const t = loadTask(REPO_ROOT, 'candidate-screening');
    expect(t.definition.primary_label).toBe('recommendation');
    expect(classLabels(t.definition).map((l) => l.name)).toEqual(['recommendation', 'educational_pedigree', 'company_pedigree', 'trajectory', 'is_software_engineer']);
    expect(t.definition.policies?.escalate_at).toEqual({ label: 'recommendation', value: 'Maybe' });
    expect(t.contract.title).toBe('Candidate evaluation');
    expect(t.file).toBe('tasks/candidate-screening/task.json');
  });

  it('finds a shipped task from a project that has no tasks/ folder', () => {
    expect(loadTask(tempDir(), 'candidate-screening').definition.name).toBe('candidate-screening');
  });

  const cases: Array<[string, (t: Record<string, any>) => void, RegExp, string]> = [
    ['unknown primary label', (t) => (t.primary_label = 'verdict'), /`verdict` is not a declared label/, 'primary_label'],
    ['stratify by a text label', (t) => (t.stratify = 'rationale'), /`rationale` is a text label/, 'stratify'],
    ['threshold off the scale', (t) => (t.policies.escalate_at.value = 'Perhaps'), /`Perhaps` is not on the scale of `recommendation`/, 'policies.escalate_at.value'],
    ['label declared twice', (t) => t.labels.push({ ...t.labels[1] }), /declared twice/, 'labels.6.name'],
    ['contract outside the folder', (t) => (t.contract = '../../package.json'), /must sit inside the task folder/, 'contract'],
    ['ordinal label without a scale', (t) => delete t.labels[0].scale, /./, 'labels.0.scale'],
  ];
  for (const [name, edit, message, field] of cases) {
    it(`refuses a task with ${name}, naming the field`, () => {
      const err = userError(() => loadTask(withTask(edit), 'candidate-screening'));
      expect(err.message).toMatch(message);
      expect(err.field).toBe(field);
    });
  }

  it('refuses an unknown task with a hint', () => {
    const err = userError(() => loadTask(tempDir(), 'nope'));
    expect(err.message).toMatch(/no task named `nope`/);
  });
});

describe('readLabel and taskProblems', () => {
  const def = TaskDefinition.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'tasks/candidate-screening/task.json'), 'utf8')));
  const [rec, edu] = classLabels(def);
  it('reads a value on the scale by its answer path, else null', () => {
    expect(readLabel(rec!, { recommendation: 'Yes' }, rec!.answer)).toBe('Yes');
    expect(readLabel(rec!, { recommendation: 'yes' }, rec!.answer)).toBeNull();
    expect(readLabel(edu!, { analysis: { educational_pedigree: { rating: 'Good' } } }, edu!.answer)).toBe('Good');
    expect(readLabel(edu!, { analysis: null }, edu!.answer)).toBeNull();
  });
  it('finds nothing wrong with the shipped task', () => {
    expect(taskProblems(def)).toEqual([]);
  });
});
