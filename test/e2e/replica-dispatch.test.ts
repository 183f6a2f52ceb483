/**
 * A model on several replicas used as one: least-outstanding dispatch over three simulator
 * processes, and a run that survives one of them being killed mid-run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator, type SimProcess } from '../helpers/sim-process.ts';
import { runCli, startCli, waitCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

const MODEL = 'google/gemma-3-4b-it';
let sims: SimProcess[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
});

function project(urls: string[], concurrency: number): string {
  const root = tempProject();
  writeFileSync(join(root, 'evals/models.json'), JSON.stringify({ models: [{ id: MODEL, label: 'Gemma 3 4B', replicas: urls, concurrency }] }, null, 2));
  return root;
}

const results = (root: string) =>
  readFileSync(join(root, 'run/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item_id: string; prompt_version: string; error: unknown });

describe('replica dispatch', () => {
  it('spreads the requests over three replicas', async () => {
    sims = await Promise.all([0, 1, 2].map(() => spawnSimulator(['--speed', '400'])));
    const root = project(sims.map((s) => s.baseURL), 8);
    const r = await runCli(['eval', '--sample', '60', '--out', 'run', '--store', 'store', '--quiet'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    const counts = await Promise.all(sims.map((s) => s.chatRequests(MODEL)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3 * 60);
    // Least outstanding over equal replicas: each gets a fair share.
    for (const c of counts) expect(c).toBeGreaterThan(30);
    const manifest = JSON.parse(readFileSync(join(root, 'run/manifest.json'), 'utf8')) as { models: Array<{ replicas: string[] }> };
    expect(manifest.models[0]!.replicas).toEqual(sims.map((s) => s.baseURL));
    expect(results(root).every((x) => x.error === null)).toBe(true);
  });

  it('survives one replica being killed mid-run: every item answered once, none lost', async () => {
    sims = await Promise.all([0, 1, 2].map(() => spawnSimulator(['--speed', '60'])));
    const root = project(sims.map((s) => s.baseURL), 6);
    const child = startCli(['eval', '--sample', '40', '--out', 'run', '--store', 'store', '--quiet'], { cwd: root });
    // Kill the second replica once a first batch of answers is recorded.
    const file = join(root, 'run/results.jsonl');
    for (let i = 0; i < 600; i++) {
      if (existsSync(file) && readFileSync(file, 'utf8').split('\n').length > 20) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const beforeKill = await sims[1]!.chatRequests(MODEL);
    const survivorsAtKill = (await sims[0]!.chatRequests(MODEL)) + (await sims[2]!.chatRequests(MODEL));
    await sims[1]!.kill();
    const r = await waitCli(child);
    expect(r.code, r.stderr).toBe(0);
    const rs = results(root);
    expect(rs).toHaveLength(3 * 40);
    expect(new Set(rs.map((x) => `${x.prompt_version}/${x.item_id}`)).size).toBe(3 * 40);
    expect(rs.filter((x) => x.error !== null)).toEqual([]);
    expect(beforeKill).toBeGreaterThan(0);
    // The survivors took the rest.
    const survivors = (await sims[0]!.chatRequests(MODEL)) + (await sims[2]!.chatRequests(MODEL));
    expect(survivors + beforeKill).toBeGreaterThanOrEqual(3 * 40);
    // The kill was mid-run: most of the work came after it.
    expect(survivors - survivorsAtKill).toBeGreaterThan(40);
  });
});
