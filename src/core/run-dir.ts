/**
 * A run directory is qualbench's own: no symbolic links inside it are followed. A link planted there
 * (report.md -> ~/.bashrc, results.jsonl -> /etc/passwd) would make a re-score or a gate overwrite,
 * append to or quote a file outside the run.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from './errors.ts';

/** Refuse (exit 2) a run directory that holds a symbolic link. */
export function refuseLinks(runDir: string, shownAs = runDir): void {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return; // a missing directory is reported by the caller with its own message
  }
  const links = names.filter((n) => {
    try {
      return lstatSync(join(runDir, n)).isSymbolicLink();
    } catch {
      return false;
    }
  });
  if (links.length) {
    throw new UserError(`the run directory holds symbolic links: ${links.join(', ')}`, {
      file: shownAs,
      hint: 'qualbench writes only its own files inside a run directory and never follows links there. Replace the links with the files themselves, or remove them (rescore and report re-create report.md, report.html, summary.json).',
    });
  }
}
