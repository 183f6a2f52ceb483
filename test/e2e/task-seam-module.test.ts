/**
 * A user's task module end to end: the project's ticket-triage task names a module file; `qualbench eval`
 * against the simulator (a separate HTTP process) imports it, runs its scorers beside the generic ones, and
 * the summary and report carry them. A bad module stops the eval before a request is sent.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';
import type { Summary } from '../../src/core/records.ts';

function projectWithModule(module: string, source: string, scorers: string[]): string {
  const root = tempProject();
  cpSync(join(REPO_ROOT, 'tasks/ticket-triage'), join(root, 'tasks/ticket-triage'), { recursive: true });
  writeFileSync(join(root, 'tasks/ticket-triage', module), source);
  const taskFile = join(root, 'tasks/ticket-triage/task.json');
  writeFileSync(taskFile, JSON.stringify({ ...(JSON.parse(readFileSync(taskFile, 'utf8')) as object), module }, null, 2));
  const evalFile = join(root, 'evals/ticket-triage.json');
  const def = JSON.parse(readFileSync(evalFile, 'utf8')) as { scorers: string[] };
  writeFileSync(evalFile, JSON.stringify({ ...def, scorers: [...def.scorers, ...scorers] }, null, 2));
  return root;
}

const MODULE = `
/** Ticket triage's own checks: an answer is one JSON object with a category; the summary is short. */
export const scorers = {
  'follows-instructions': () => ({ parsed }) => {
    const ok = parsed.value !== null && typeof parsed.value.category === 'string';
    return { score: ok ? 1 : 0, label: ok ? 'followed' : 'no-category' };
  },
  'short-summary': () => ({ parsed }) => {
    const s = parsed.value?.summary;
    if (typeof s !== 'string') return { score: null, label: 'no-summary' };
    return { score: s.length <= 120 ? 1 : 0, label: s.length <= 120 ? 'short' : 'long' };
  },
  /** Did the scorer see the prompt the model saw (rendered with this item)? */
  'saw-prompt': () => ({ prompt, item }) => ({ score: typeof prompt === 'string' && prompt.includes(item.ticket.subject) ? 1 : 0 }),
};
`;

describe("a user's task module", () => {
  it('eval imports it, scores with it (follows-instructions and ticket-triage/short-summary), and the summary and report show them', async () => {
    const sim = await spawnSimulator(['--speed', 'instant']);
    const root = projectWithModule('checks.mjs', MODULE, ['follows-instructions', 'ticket-triage/short-summary', 'ticket-triage/saw-prompt', 'grounding']);
    const e = await runCli(['eval', '--eval', 'ticket-triage', '--sample', '10', '--model', 'google/gemma-3-4b-it', '--out', 'run', '--base-url', sim.baseURL, '--store', 'store', '--quiet'], { cwd: root });
    expect(e.code, e.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(root, 'run/summary.json'), 'utf8')) as Summary;
    for (const g of summary.groups) {
      expect(g.scorers['follows-instructions']!.scored).toBe(g.answered);
      expect(g.scorers['ticket-triage/short-summary']!.scored + g.scorers['ticket-triage/short-summary']!.unscored).toBe(g.answered);
      expect(g.scorers.grounding).toBeDefined();
      // The module's labels are the instruction classes the report tabulates.
      expect(Object.keys(g.validity.instruction_classes).every((c) => ['followed', 'no-category'].includes(c))).toBe(true);
    }
    const line = JSON.parse(readFileSync(join(root, 'run/scores.jsonl'), 'utf8').split('\n')[0]!) as { scores: Record<string, { label?: string }> };
    expect(['short', 'long', 'no-summary']).toContain(line.scores['ticket-triage/short-summary']!.label);
    expect(readFileSync(join(root, 'run/report.md'), 'utf8')).toMatch(/Follows instructions/);
    // At score time every scorer saw the rendered prompt of its answer.
    for (const g of summary.groups) expect(g.scorers['ticket-triage/saw-prompt']).toMatchObject({ mean: 1, scored: g.answered });
    // Rescore imports the module again from the task folder, and re-renders each prompt from the run's version.
    const r = await runCli(['rescore', 'run'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    const again = JSON.parse(readFileSync(join(root, 'run/summary.json'), 'utf8')) as Summary;
    for (const g of again.groups) expect(g.scorers['ticket-triage/saw-prompt']).toMatchObject({ mean: 1, scored: g.answered });
  }, 120_000);

  it('a module that does not import stops the eval before anything is sent, naming task.json and `module`', async () => {
    const root = projectWithModule('checks.mjs', 'export const scorers = {', ['ticket-triage/short-summary']);
    const e = await runCli(['eval', '--eval', 'ticket-triage', '--sample', '10', '--out', 'run', '--base-url', 'http://127.0.0.1:9/v1', '--store', 'store', '--quiet'], { cwd: root });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/tasks\/ticket-triage\/task\.json/);
    expect(e.stderr).toMatch(/module/);
    expect(e.stderr).toMatch(/could not be imported/);
    expect(existsSync(join(root, 'run/results.jsonl'))).toBe(false);
  }, 60_000);

  it('an eval naming a task scorer its module does not have is refused with the eval file and field', async () => {
    const root = projectWithModule('checks.mjs', MODULE, ['ticket-triage/long-summary']);
    const e = await runCli(['eval', '--eval', 'ticket-triage', '--sample', '10', '--out', 'run', '--base-url', 'http://127.0.0.1:9/v1', '--store', 'store', '--quiet'], { cwd: root });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/evals\/ticket-triage\.json/);
    expect(e.stderr).toMatch(/scorers\.\d/);
    expect(e.stderr).toMatch(/unknown scorer `ticket-triage\/long-summary`.*ticket-triage\/short-summary/s);
  }, 60_000);
});
