/**
 * A team adds a required ordinal dimension (`analysis.communication`) to its candidate-screening task:
 * task.json label, contract (required), item schema, gold, and the prompt's rules and example answer.
 * Against the spawned simulator the personas answer it (free-form and under json_schema): present,
 * on the scale, not constant, schema-valid, and agreeing with a gold that follows the profile.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { tempDir } from '../helpers/tmp.ts';
import type { Summary } from '../../src/core/records.ts';

const readJson = <T = Record<string, unknown>>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const SCALE = ['Great', 'Good', 'Okay', 'Weak'];
/** Gold for the new field: a strong candidate overall communicates well (a rule a reader's overall impression tracks). */
const GOLD_FROM_RECOMMENDATION: Record<string, string> = { 'Strong Yes': 'Great', Yes: 'Good', Maybe: 'Okay', No: 'Weak', 'Strong No': 'Weak' };

describe('simulator: a dimension the team added to its candidate-screening task', () => {
  it('is rated by the persona, on the scale, correlated with a profile-following gold, and schema stays valid when required', async () => {
    const dir = tempDir('qualbench-added-dim-');
    const r = await runCli(['init', '--rows-per-class', '8'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const task = join(dir, 'tasks/candidate-screening');
    const def = readJson<{ labels: unknown[] }>(join(task, 'task.json'));
    def.labels.push({ name: 'communication', kind: 'ordinal', scale: SCALE, answer: 'analysis.communication.rating', gold: 'analysis.communication' });
    writeFileSync(join(task, 'task.json'), JSON.stringify(def, null, 2));
    const contract = readJson<{ properties: { analysis: { required: string[]; properties: Record<string, unknown> } } }>(join(task, 'contract.schema.json'));
    contract.properties.analysis.properties.communication = { $ref: '#/$defs/dimension' };
    contract.properties.analysis.required.push('communication');
    writeFileSync(join(task, 'contract.schema.json'), JSON.stringify(contract, null, 2));
    const item = readJson<{ properties: { gold: { properties: { analysis: { properties: Record<string, unknown> } } } } }>(join(task, 'item.schema.json'));
    item.properties.gold.properties.analysis.properties.communication = { $ref: '#/$defs/rating' };
    writeFileSync(join(task, 'item.schema.json'), JSON.stringify(item, null, 2));
    const dataFile = join(dir, 'datasets/candidates-example/data.jsonl');
    const rows = readFileSync(dataFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { gold: { recommendation: string; analysis: Record<string, string> } });
    for (const row of rows) row.gold.analysis.communication = GOLD_FROM_RECOMMENDATION[row.gold.recommendation]!;
    const data = rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
    writeFileSync(dataFile, data);
    const manifestFile = join(dir, 'datasets/candidates-example/manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ ...readJson(manifestFile), version: '0.2.0', sha256: createHash('sha256').update(data).digest('hex') }, null, 2));
    // The prompt asks for it: a rule and the field in its worked example answer.
    const promptFile = join(dir, 'prompts/candidate-screening/v1/user.hbs');
    const prompt = readFileSync(promptFile, 'utf8');
    const asked = prompt
      .replace(/^6\. /m, '6. communication: how clearly the candidate would explain their work to others, from the profile as a whole.\n7. ')
      .replace(/("is_software_engineer": \{"rating": "[A-Za-z]+", "reasoning": "[^"]*"\})\}\}/, '$1, "communication": {"rating": "Good", "reasoning": "Reviews pull requests and has led services for years."}}}');
    expect(asked).not.toBe(prompt);
    expect(asked).toContain('"communication": {"rating"');
    writeFileSync(promptFile, asked);
    const evalFile = join(dir, 'evals/candidate-screening.json');
    writeFileSync(evalFile, JSON.stringify({ ...readJson(evalFile), decoding: ['free', 'json-schema'] }, null, 2));

    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const e = await runCli(['eval', '--out', 'runs/first', '--base-url', sim.baseURL, '--model', 'google/gemma-3-4b-it', '--quiet'], { cwd: dir, timeoutMs: 240_000 });
      expect(e.code, e.stderr).toBe(0);
    } finally {
      await sim.stop();
    }
    const summary = readJson<Summary>(join(dir, 'runs/first/summary.json'));
    expect(summary.groups.map((g) => g.prompt_version).sort()).toEqual(['v1', 'v1+schema']);
    for (const g of summary.groups) {
      const c = g.agreement.labels.communication!;
      const where = `${g.prompt_version}: ${JSON.stringify(c.confusion)}`;
      expect(c.n, where).toBe(g.answered);
      // On the scale, present in (nearly) every answered item, and more than one value.
      expect(c.missing, where).toBeLessThanOrEqual(Math.ceil(0.1 * c.n));
      const predicted = SCALE.map((_, col) => c.confusion.counts.reduce((s, row) => s + row[col]!, 0));
      expect(predicted.filter((x) => x > 0).length, where).toBeGreaterThanOrEqual(2);
      // Follows the profile as the gold does: weighted kappa clearly above chance (0).
      expect(c.kappa, where).toBeGreaterThan(0.3);
      // Required field, and the answers stay schema-valid (Gemma on a worked-example prompt; 1 under constraint).
      expect(g.validity.schema_valid_rate, where).toBeGreaterThanOrEqual(g.prompt_version.endsWith('+schema') ? 1 : 0.9);
    }
  }, 300_000);
});
