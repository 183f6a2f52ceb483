/**
 * Kill an eval with SIGKILL at random points and resume it each time; then check that the results
 * hold exactly one record per item, none lost, and that no request recorded before a kill was sent
 * again (the simulator's own request counter). Used by a test (a few kills) and by
 * bench/kill-loop.ts (twenty).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from './sim-process.ts';
import { runCli, startCli, waitCli } from './cli.ts';
import { mulberry32 } from '../../src/core/random.ts';

export interface KillLoopReport {
  kills: number;
  total: number;
  records: number;
  unique: number;
  /** Requests the simulator received in all. */
  received: number;
  /** Requests that reached the server but whose result was not recorded before a kill (re-sent on resume). */
  inFlightAtKills: number;
  /** Requests sent again although their result had been recorded before: must be 0. */
  resentAfterRecorded: number;
}

function completeLines(file: string): Array<{ model: string; prompt_version: string; item_id: string }> {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop();
  return lines.filter(Boolean).map((l) => JSON.parse(l) as { model: string; prompt_version: string; item_id: string });
}

export async function killLoop(opts: { kills: number; sample: number; seed: number; dir: string }): Promise<KillLoopReport> {
  const sim = await spawnSimulator(['--speed', '40']);
  const random = mulberry32(opts.seed);
  const runDir = join(opts.dir, 'run');
  const results = join(runDir, 'results.jsonl');
  const common = ['--base-url', sim.baseURL, '--store', join(opts.dir, 'store'), '--quiet', '--concurrency', '16'];
  const total = opts.sample * 9;
  let kills = 0;
  let inFlightAtKills = 0;
  let resentAfterRecorded = 0;
  try {
    for (let k = 0; k <= opts.kills; k++) {
      const args = k === 0 ? ['eval', '--sample', String(opts.sample), '--out', runDir, ...common] : ['eval', '--resume', runDir, ...common];
      const recordedBefore = completeLines(results).length;
      const sentBefore = await sim.chatRequests();
      if (k === opts.kills) {
        const last = await runCli(args);
        if (last.code !== 0) throw new Error(`final resume exited ${last.code}: ${last.stderr}`);
        const sentNow = (await sim.chatRequests()) - sentBefore;
        if (sentNow > total - recordedBefore) resentAfterRecorded += sentNow - (total - recordedBefore);
        break;
      }
      const child = startCli(args);
      const done = waitCli(child);
      // Kill when a random share of what remains is on disk (or at once, sometimes).
      const target = recordedBefore + Math.floor(random() * (total - recordedBefore) * 0.5);
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && completeLines(results).length < target && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await done;
      kills++;
      await new Promise((r) => setTimeout(r, 150));
      const recordedAfter = completeLines(results).length;
      const sent = (await sim.chatRequests()) - sentBefore;
      // Everything sent in this segment was either recorded, or in flight at the kill.
      inFlightAtKills += Math.max(0, sent - (recordedAfter - recordedBefore));
      // The resume may send at most what was not recorded: anything more was a re-send.
      if (sent > total - recordedBefore) resentAfterRecorded += sent - (total - recordedBefore);
    }
    const final = completeLines(results);
    const unique = new Set(final.map((r) => `${r.model}|${r.prompt_version}|${r.item_id}`)).size;
    return { kills, total, records: final.length, unique, received: await sim.chatRequests(), inFlightAtKills, resentAfterRecorded };
  } finally {
    await sim.stop();
  }
}
