import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.ts';
import { tempDir } from './tmp.ts';

/**
 * A copy of the project's evals/, prompts/ and datasets/ in a temporary folder, to run the CLI
 * against (its cwd is the project root) with one thing changed.
 */
export function tempProject(edit?: { eval?: (def: Record<string, unknown>) => void }): string {
  const root = tempDir('qualbench-project-');
  for (const d of ['evals', 'prompts', 'datasets']) cpSync(join(REPO_ROOT, d), join(root, d), { recursive: true });
  if (edit?.eval) {
    const file = join(root, 'evals/candidate-screening.json');
    const def = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit.eval(def);
    writeFileSync(file, JSON.stringify(def, null, 2) + '\n');
  }
  return root;
}
