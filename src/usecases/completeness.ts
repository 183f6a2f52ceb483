/** What `gate`, `baseline update`, `report`, `compare` and `rescore` say about a run with missing or failed items. */
import { join, relative } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { RUN_FILES, type RunManifest, type RunTrust } from '../core/records.ts';
import { trustOfRun } from '../aggregate/trust.ts';
import { cliCommand } from '../core/package-files.ts';

/** One line: "incomplete: 9 of 300 answered (291 missing, 0 failed)". Null when complete. */
export function incompleteLine(t: RunTrust): string | null {
  if (t.complete) return null;
  const answered = t.recorded - t.errored;
  return `incomplete: ${answered} of ${t.expected} answered (${t.missing} missing, ${t.errored} failed)`;
}

/**
 * Refuse (exit 4) to judge a run with missing or failed items unless `allowPartial`; with it, the run's
 * trust comes back so the caller labels its output. `what` names the command for the message.
 */
export async function requireComplete(root: string, runDir: string, manifest: RunManifest, what: string, allowPartial: boolean | undefined): Promise<RunTrust> {
  const trust = await trustOfRun(join(runDir, RUN_FILES.scores), manifest);
  const line = incompleteLine(trust);
  if (line && !allowPartial) {
    const rel = relative(root, runDir) || runDir;
    throw new UserError(`${what}: refusing to judge an incomplete run: ${line}`, {
      file: rel,
      exitCode: EXIT.untrusted,
      hint: [
        trust.missing ? `Finish it: ${cliCommand()} eval --resume ${rel}` : null,
        trust.errored ? `Send the failed items again: ${cliCommand()} eval --resume ${rel} --retry-errors` : null,
        `Or pass --allow-partial to ${what} the recorded items anyway (the output is then labelled PARTIAL).`,
      ]
        .filter(Boolean)
        .join('\n  '),
    });
  }
  return trust;
}
