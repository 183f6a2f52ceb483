/**
 * The task seam, enforced: a task lives in its own folders, generic code names none of its fields, and
 * changing a task's contract is a change to that task's files only.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fg from 'fast-glob';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { rescoreRun } from '../../src/rescore.ts';

/** Where the ticket-triage example lives: everything of it, nothing else. */
const TICKET_FOLDERS = ['tasks/ticket-triage/', 'datasets/tickets-golden/', 'prompts/ticket-triage/', 'evals/ticket-triage.json'];

describe('the task seam', () => {
  it('adding ticket-triage touched nothing outside its own folders (no other source, config or data file names it)', () => {
    const files = fg.sync(['**/*'], { cwd: REPO_ROOT, dot: false, ignore: ['node_modules/**', 'runs/**', 'dist/**', 'test-artifacts/**', 'test/**', '*.md', 'docs/**', 'bench/**'] });
    const naming = files
      .filter((f) => !TICKET_FOLDERS.some((d) => f === d || f.startsWith(d)))
      .filter((f) => /ticket/i.test(readFileSync(join(REPO_ROOT, f), 'utf8')))
      // Doc comments that use it as an example of a task declaration are not code that depends on it.
      .filter((f) => !['src/core/task-records.ts', 'src/load/item-check.ts'].includes(f));
    expect(naming).toEqual([]);
  });

  it("the generic stages' code names no candidate-screening label or field", () => {
    const stages = ['load', 'render', 'run', 'aggregate', 'report'];
    const words = /\b(recommendation|educational_pedigree|company_pedigree|trajectory|is_software_engineer|RECOMMENDATIONS|RATINGS|DIMENSIONS|Maybe)\b/;
    const bad: string[] = [];
    for (const f of fg.sync(stages.map((s) => `src/${s}/**/*.ts`), { cwd: REPO_ROOT })) {
      readFileSync(join(REPO_ROOT, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/\/\*\*.*\*\//, '');
          if (words.test(code)) bad.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(bad).toEqual([]);
  });

  it("adding a dimension to the screening contract is a change to the task's files only (on a copy of the project)", async () => {
    const root = tempDir();
    for (const d of ['evals', 'prompts', 'datasets', 'tasks']) cpSync(join(REPO_ROOT, d), join(root, d), { recursive: true });
    // The new dimension: rated in the answer (contract), labelled in gold (item schema), declared (task.json).
    const task = join(root, 'tasks/candidate-screening');
    const def = JSON.parse(readFileSync(join(task, 'task.json'), 'utf8')) as { labels: unknown[] };
    def.labels.push({ name: 'communication', kind: 'ordinal', scale: ['Great', 'Good', 'Okay', 'Weak'], answer: 'analysis.communication.rating', gold: 'analysis.communication' });
    writeFileSync(join(task, 'task.json'), JSON.stringify(def, null, 2));
    const contract = JSON.parse(readFileSync(join(task, 'contract.schema.json'), 'utf8')) as { properties: { analysis: { properties: Record<string, unknown> } } };
    contract.properties.analysis.properties.communication = { $ref: '#/$defs/dimension' };
    writeFileSync(join(task, 'contract.schema.json'), JSON.stringify(contract, null, 2));
    const item = JSON.parse(readFileSync(join(task, 'item.schema.json'), 'utf8')) as { properties: { gold: { properties: { analysis: { properties: Record<string, unknown> } } } } };
    item.properties.gold.properties.analysis.properties.communication = { $ref: '#/$defs/rating' };
    writeFileSync(join(task, 'item.schema.json'), JSON.stringify(item, null, 2));
    // Gold for it in the dataset (a new dataset version: its sha256 in the manifest).
    const dataFile = join(root, 'datasets/candidates-golden/data.jsonl');
    const rows = readFileSync(dataFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { gold: { analysis: Record<string, string> } });
    rows.forEach((r, i) => (r.gold.analysis.communication = ['Great', 'Good', 'Okay', 'Weak'][i % 4]!));
    const data = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    writeFileSync(dataFile, data);
    const { createHash } = await import('node:crypto');
    const manifestFile = join(root, 'datasets/candidates-golden/manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: '1.1.0', sha256: createHash('sha256').update(data).digest('hex') }, null, 2));
    // Re-score the recorded run against it (its dataset check is what it is: point the copy's manifest at the new data).
    const run = join(root, 'run');
    cpSync(join(REPO_ROOT, 'test/fixtures/pre-task-seam-run'), run, { recursive: true });
    const mf = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')) as { dataset: Record<string, unknown> };
    mf.dataset.sha256 = createHash('sha256').update(data).digest('hex');
    mf.dataset.version = '1.1.0';
    writeFileSync(join(run, 'manifest.json'), JSON.stringify(mf, null, 2));
    const summary = await rescoreRun(root, run);
    const g = summary.groups[0]!;
    expect(Object.keys(g.agreement.labels)).toContain('communication');
    expect(g.agreement.labels.communication!.n).toBe(g.answered);
    expect(summary.task!.labels.map((l) => l.name)).toContain('communication');
    // The copied project's src/ is the repository's: nothing there changed.
    expect(relative(REPO_ROOT, root).startsWith('..')).toBe(true);
  }, 60_000);
});
