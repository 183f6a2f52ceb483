import { refuseLinks } from './core/run-dir.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, RunManifest, type Summary } from './core/records.ts';
import { UserError } from './core/errors.ts';
import { readJsonFile } from './core/json-file.ts';
import { openDataset, samplePositions } from './load/load-dataset.ts';
import { finishRun, itemLookup } from './finish-run.ts';
import { loadRunTask, stratifyLabel } from './run-task.ts';

/**
 * `qualbench rescore <run-dir>`: recompute scores, summary and report from the stored results.
 * Sends nothing. The dataset must be the version the run used (its sha256 is checked).
 */
export async function rescoreRun(root: string, runDir: string): Promise<Summary> {
  const mf = join(runDir, RUN_FILES.manifest);
  if (!existsSync(mf) || !existsSync(join(runDir, RUN_FILES.results))) {
    throw new UserError('not a run directory (needs manifest.json and results.jsonl)', { file: runDir });
  }
  refuseLinks(runDir);
  const manifest = readJsonFile(mf, RunManifest);
  const task = loadRunTask(root, manifest);
  // The run's manifest says which dataset it used (today's eval file may name another).
  const dataset = await openDataset(root, manifest.dataset.name, stratifyLabel(task), task.checkRow ?? undefined);
  if (dataset.manifest.sha256 !== manifest.dataset.sha256) {
    throw new UserError(`the run used dataset ${manifest.dataset.name}@${manifest.dataset.version}, but ${dataset.manifest.version} is checked out`, {
      file: mf,
      field: 'dataset.sha256',
      hint: 'Check out the dataset version the run used, or start a new run.',
    });
  }
  try {
    const positions = samplePositions(dataset.ids, dataset.classes, manifest.dataset.sample ?? dataset.total, manifest.dataset.sample_seed);
    return await finishRun(root, runDir, itemLookup(dataset, positions), manifest, manifest.dataset.sample_seed, task);
  } finally {
    dataset.close();
  }
}
