/**
 * Crash safety, twenty times over: `node bench/kill-loop.ts [--kills 20] [--sample 40] [--seed 1]`.
 * Prints the counts; exits 1 if anything was lost, duplicated or re-sent after being recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { killLoop } from '../test/helpers/kill-loop.ts';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, sample: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' } } });
const dir = mkdtempSync(join(tmpdir(), 'qb-kill-'));
try {
  const r = await killLoop({ kills: Number(values.kills), sample: Number(values.sample), seed: Number(values.seed), dir });
  process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  const ok = r.records === r.total && r.unique === r.total && r.resentAfterRecorded === 0;
  process.stdout.write(ok ? `OK: ${r.kills} SIGKILLs survived; ${r.total} results, each once; nothing recorded was sent again.\n` : 'FAILED\n');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
