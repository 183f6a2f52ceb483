/** `qualbench init` from source, in a temporary project folder (the installed package: test/e2e/package.test.ts). */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { everyFile, tempDir } from '../helpers/tmp.ts';
import type { Summary } from '../../src/core/records.ts';

const readJson = <T = Record<string, unknown>>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('qualbench init', () => {
  it('scaffolds a project the other commands load: dataset checksum, prompt, eval', async () => {
    const dir = tempDir('qualbench-init-');
    const r = await runCli(['init', '--rows-per-class', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote 10 files');
    // The task is the project's own: its declaration and contract, listed with what each is.
    for (const f of ['task.json', 'contract.schema.json', 'item.schema.json']) {
      expect(readFileSync(join(dir, 'tasks/candidate-screening', f), 'utf8'), f).toBe(readFileSync(join(REPO_ROOT, 'tasks/candidate-screening', f), 'utf8'));
    }
    expect(r.stdout).toMatch(/tasks\/candidate-screening\/contract\.schema\.json +the output contract/);
    expect(existsSync(join(dir, 'tasks/candidate-screening/generate-dataset.ts'))).toBe(false);
    const stats = await runCli(['datasets', 'stats', 'candidates-example', '--json'], { cwd: dir });
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ rows: 10 });
    const prompts = await runCli(['prompts', 'list', 'candidate-screening'], { cwd: dir });
    expect(prompts.code, prompts.stderr).toBe(0);
    expect(prompts.stdout).toMatch(/^candidate-screening@v1 .* draft /m);
    const def = JSON.parse(readFileSync(join(dir, 'evals/candidate-screening.json'), 'utf8')) as { dataset: string; prompt_versions: string[] };
    expect(def).toMatchObject({ task: 'candidate-screening', dataset: 'candidates-example', prompt_versions: ['v1'] });
  });

  it('--task ticket-triage scaffolds that task: its folder, eval, prompt, a sample of its golden set', async () => {
    const dir = tempDir('qualbench-init-');
    const r = await runCli(['init', '--task', 'ticket-triage', '--rows-per-class', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('npx qualbench eval --eval ticket-triage --out runs/first');
    const written = everyFile(dir).map((f) => f.slice(dir.length + 1)).sort();
    expect(written).toEqual([
      'datasets/tickets-example/RUBRIC.md',
      'datasets/tickets-example/data.jsonl',
      'datasets/tickets-example/manifest.json',
      'evals/models.json',
      'evals/ticket-triage.json',
      'prompts/ticket-triage/v1/meta.json',
      'prompts/ticket-triage/v1/user.hbs',
      'tasks/ticket-triage/contract.schema.json',
      'tasks/ticket-triage/item.schema.json',
      'tasks/ticket-triage/task.json',
    ]);
    // Two rows per gold category, in the golden set's order; the manifest's sha256 is the data's.
    const data = readFileSync(join(dir, 'datasets/tickets-example/data.jsonl'), 'utf8');
    const cats = data.trim().split('\n').map((l) => (JSON.parse(l) as { gold: { category: string } }).gold.category);
    expect(cats.sort()).toEqual(['account', 'account', 'billing', 'billing', 'bug', 'bug', 'feature-request', 'feature-request', 'outage', 'outage']);
    expect(readJson(join(dir, 'datasets/tickets-example/manifest.json'))).toMatchObject({ name: 'tickets-example', rows: 10, sha256: createHash('sha256').update(data).digest('hex') });
    // The last shipped prompt version (v2, with the rubric) is the project's v1.
    expect(readFileSync(join(dir, 'prompts/ticket-triage/v1/user.hbs'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'prompts/ticket-triage/v2/user.hbs'), 'utf8'));
    const def = readJson<{ task: string; dataset: string; gates: { rules: Array<Record<string, unknown>> } }>(join(dir, 'evals/ticket-triage.json'));
    expect(def).toMatchObject({ task: 'ticket-triage', dataset: 'tickets-example' });
    expect(def.gates.rules.every((rule) => rule.reference === undefined && rule.models === undefined)).toBe(true);
    const stats = await runCli(['datasets', 'stats', 'tickets-example', '--json'], { cwd: dir });
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ rows: 10 });
    // It evaluates as init says, with the project's task folder.
    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const e = await runCli(['eval', '--eval', 'ticket-triage', '--out', 'runs/first', '--base-url', sim.baseURL, '--model', 'google/gemma-3-4b-it', '--quiet'], { cwd: dir });
      expect(e.code, e.stderr).toBe(0);
    } finally {
      await sim.stop();
    }
    expect(readJson(join(dir, 'runs/first/manifest.json'))).toMatchObject({ task: { name: 'ticket-triage', file: 'tasks/ticket-triage/task.json' }, dataset: { name: 'tickets-example', rows: 10 } });
    const summary = readJson<Summary>(join(dir, 'runs/first/summary.json'));
    expect(Object.keys(summary.groups[0]!.agreement.labels)).toEqual(['category', 'priority']);
  }, 120_000);

  it('--task with an unknown name lists the shipped tasks and writes nothing; --help documents --task', async () => {
    const dir = tempDir('qualbench-init-');
    const r = await runCli(['init', '--task', 'no-such-task'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no task `no-such-task` ships with qualbench');
    expect(r.stderr).toContain('candidate-screening, ticket-triage');
    expect(everyFile(dir)).toEqual([]);
    const help = await runCli(['init', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--task <name>');
    expect(help.stdout).toContain('shipped: candidate-screening, ticket-triage');
  });

  it("a dimension added to the project's task (contract, task.json, item schema, gold) shows up in the eval's summary", async () => {
    const dir = tempDir('qualbench-init-');
    const r = await runCli(['init', '--rows-per-class', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const task = join(dir, 'tasks/candidate-screening');
    const def = readJson<{ labels: unknown[] }>(join(task, 'task.json'));
    def.labels.push({ name: 'communication', kind: 'ordinal', scale: ['Great', 'Good', 'Okay', 'Weak'], answer: 'analysis.communication.rating', gold: 'analysis.communication' });
    writeFileSync(join(task, 'task.json'), JSON.stringify(def, null, 2));
    const contract = readJson<{ properties: { analysis: { properties: Record<string, unknown> } } }>(join(task, 'contract.schema.json'));
    contract.properties.analysis.properties.communication = { $ref: '#/$defs/dimension' };
    writeFileSync(join(task, 'contract.schema.json'), JSON.stringify(contract, null, 2));
    const item = readJson<{ properties: { gold: { properties: { analysis: { properties: Record<string, unknown> } } } } }>(join(task, 'item.schema.json'));
    item.properties.gold.properties.analysis.properties.communication = { $ref: '#/$defs/rating' };
    writeFileSync(join(task, 'item.schema.json'), JSON.stringify(item, null, 2));
    const dataFile = join(dir, 'datasets/candidates-example/data.jsonl');
    const rows = readFileSync(dataFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { gold: { analysis: Record<string, string> } });
    rows.forEach((row, i) => (row.gold.analysis.communication = ['Great', 'Good', 'Okay', 'Weak'][i % 4]!));
    const data = rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
    writeFileSync(dataFile, data);
    const manifestFile = join(dir, 'datasets/candidates-example/manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ ...readJson(manifestFile), version: '0.2.0', sha256: createHash('sha256').update(data).digest('hex') }, null, 2));

    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const e = await runCli(['eval', '--out', 'runs/first', '--base-url', sim.baseURL, '--model', 'google/gemma-3-4b-it', '--quiet'], { cwd: dir });
      expect(e.code, e.stderr).toBe(0);
    } finally {
      await sim.stop();
    }
    const manifest = readJson<{ task: { name: string; file: string } }>(join(dir, 'runs/first/manifest.json'));
    expect(manifest.task).toMatchObject({ name: 'candidate-screening', file: 'tasks/candidate-screening/task.json' });
    const summary = readJson<Summary>(join(dir, 'runs/first/summary.json'));
    expect(summary.task!.labels.map((l) => l.name)).toContain('communication');
    const g = summary.groups[0]!;
    expect(Object.keys(g.agreement.labels)).toContain('communication');
    expect(g.agreement.labels.communication!.confusion.labels).toEqual(['Great', 'Good', 'Okay', 'Weak']);
    // Every answered item is compared on it (the simulator's personas do not rate it: a miss, not a gap).
    expect(g.agreement.labels.communication!.n).toBe(g.answered);
  }, 120_000);

  it('writes nothing when one of its files exists, and names it', async () => {
    const dir = tempDir('qualbench-init-');
    mkdirSync(join(dir, 'evals'));
    writeFileSync(join(dir, 'evals/models.json'), '{"models": []}\n');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing written: this file exists already: evals/models.json');
    expect(everyFile(dir).map((f) => f.slice(dir.length + 1))).toEqual(['evals/models.json']);
    expect(readFileSync(join(dir, 'evals/models.json'), 'utf8')).toBe('{"models": []}\n');
  });

  it('refuses a bad option with its name', async () => {
    const dir = tempDir('qualbench-init-');
    const r = await runCli(['init', '--rows-per-class', '0'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rows-per-class');
    expect(existsSync(join(dir, 'evals'))).toBe(false);
  });
});
