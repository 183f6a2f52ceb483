/**
 * The export use case: write an eval's requests as `vllm run-batch` / OpenAI Batch input files, one per
 * model x prompt version (custom_id = item id). Commands `export-batch` and `batch` call it.
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { loadEval } from '../load/load-eval.ts';
import { loadModels } from '../load/load-models.ts';
import { openDataset, samplePositions } from '../load/load-dataset.ts';
import { loadPromptVersion } from '../load/load-prompts.ts';
import { compilePrompt, renderRequest } from '../render/render-request.ts';
import { batchInputLine, modelSlug } from '../render/batch-line.ts';
import { loadEvalTask, stratifyLabel } from '../run-task.ts';

export interface ExportedFile {
  file: string;
  model: string;
  prompt_version: string;
  requests: number;
}

/**
 * Write the eval's requests as batch input files, one per model x prompt version (custom_id = item id).
 * @returns the files, relative to `root`.
 */
export async function exportBatchFiles(root: string, opts: { evalName?: string; models?: string[]; promptVersions?: string[]; sample?: number; out?: string }): Promise<ExportedFile[]> {
  const def = loadEval(root, opts.evalName).definition;
  const { models } = loadModels(root, def.models, { defaultBaseUrl: readEnv().vllmBaseUrl, only: opts.models?.length ? opts.models : def.model_ids });
  const task = loadEvalTask(root, def);
  const dataset = await openDataset(root, def.dataset, stratifyLabel(task), task.checkRow ?? undefined);
  try {
    const n = opts.sample ?? def.sample ?? dataset.total;
    const positions = samplePositions(dataset.ids, dataset.classes, n, def.seed);
    const prompts = (opts.promptVersions ?? def.prompt_versions).map((v) => compilePrompt(loadPromptVersion(root, def.prompt, v), task.definition.item.variables));
    const outDir = resolve(root, opts.out ?? join('runs', `batch-${def.name}`));
    if (existsSync(outDir) && readdirSync(outDir).length > 0) {
      throw new UserError('the output directory already holds files', { file: relative(root, outDir), field: '--out', hint: 'Choose a new --out.' });
    }
    mkdirSync(outDir, { recursive: true });
    const files: ExportedFile[] = [];
    for (const model of models) {
      for (const prompt of prompts) {
        const file = join(outDir, `${modelSlug(model.id)}__${prompt.version}.jsonl`);
        const out = createWriteStream(file);
        for (const i of positions) {
          const line = batchInputLine(renderRequest(prompt, dataset.rowAt(i), model, def.sampling, { file: dataset.file, line: dataset.lineAt(i) }));
          if (!out.write(line + '\n')) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        files.push({ file: relative(root, file), model: model.id, prompt_version: prompt.version, requests: positions.length });
      }
    }
    return files;
  } finally {
    dataset.close();
  }
}
