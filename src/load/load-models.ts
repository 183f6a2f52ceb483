import { join, relative } from 'node:path';
import { ModelsFile, type ModelConfig } from '../core/records.ts';
import { UserError } from '../core/errors.ts';
import { readJsonFile } from '../core/json-file.ts';
import { refuseMisplacedKeys } from './misplaced-keys.ts';

export interface ResolvedModel extends ModelConfig {
  label: string;
  base_url: string;
  concurrency: number | 'auto';
}

export interface LoadModelsOptions {
  /** Base URL for models that set none (VLLM_BASE_URL or the default). */
  defaultBaseUrl: string;
  /** Overrides every model's base URL (the demo, `--base-url`). */
  baseUrlOverride?: string;
  /** Keep only these ids, in this order (eval `model_ids`, then `--model`). */
  only?: string[];
  /** Overrides every model's concurrency. */
  concurrency?: number | 'auto';
  /** Default concurrency. @default 'auto' */
  defaultConcurrency?: number | 'auto';
}

/** Load the models config and resolve defaults. Unknown ids in `only` are an error naming the known ones. */
export function loadModels(root: string, file: string, options: LoadModelsOptions): { file: string; models: ResolvedModel[] } {
  const abs = join(root, file);
  const rel = relative(root, abs);
  refuseMisplacedKeys(abs, rel, 'models');
  const config = readJsonFile(abs, ModelsFile, 'The models config lists {"models": [{"id": "<served model id>", ...}]}.', rel);
  const seen = new Set<string>();
  config.models.forEach((m, i) => {
    if (seen.has(m.id)) throw new UserError(`model \`${m.id}\` is listed twice`, { file: rel, field: `models.${i}.id` });
    seen.add(m.id);
  });
  let models = config.models;
  if (options.only && options.only.length > 0) {
    models = options.only.map((id) => {
      const found = config.models.find((m) => m.id === id || m.label === id);
      if (!found) {
        throw new UserError(`unknown model \`${id}\``, {
          file: rel,
          field: 'models',
          hint: `Known models: ${config.models.map((m) => m.id).join(', ')}.`,
        });
      }
      return found;
    });
  }
  return {
    file: rel,
    models: models.map(({ replicas, ...m }) => ({
      ...m,
      label: m.label ?? m.id,
      // --base-url sends everything to one server; otherwise the first replica stands for the pool when probing.
      ...(replicas && !options.baseUrlOverride ? { replicas: replicas.map((u) => u.replace(/\/+$/, '')) } : {}),
      base_url: (options.baseUrlOverride ?? replicas?.[0] ?? m.base_url ?? options.defaultBaseUrl).replace(/\/+$/, ''),
      concurrency: options.concurrency ?? m.concurrency ?? options.defaultConcurrency ?? 'auto',
    })),
  };
}
