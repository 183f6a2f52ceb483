import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EvalDefinition } from '../core/records.ts';
import { UserError } from '../core/errors.ts';
import { readJsonFile } from '../core/json-file.ts';
import { refuseMisplacedKeys } from './misplaced-keys.ts';
import { sha256 } from '../core/hash.ts';

export interface LoadedEval {
  definition: EvalDefinition;
  /** Path relative to the project root. */
  file: string;
  sha256: string;
}

/** Names of the evals defined in `<root>/evals/*.json` (models config excluded). */
export function listEvals(root: string): string[] {
  const dir = join(root, 'evals');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'models.json' && !f.startsWith('models'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Load `evals/<name>.json`. With no name, the only eval defined, else `candidate-screening`.
 * @example loadEval(process.cwd(), 'candidate-screening')
 */
export function loadEval(root: string, name?: string): LoadedEval {
  const known = listEvals(root);
  const chosen = name ?? (known.length === 1 ? known[0] : known.includes('candidate-screening') ? 'candidate-screening' : undefined);
  if (!chosen) {
    throw new UserError(`no eval named and ${known.length === 0 ? 'none is defined' : 'several are defined'}`, {
      file: 'evals/',
      hint: known.length ? `Pass --eval with one of: ${known.join(', ')}.` : 'Create evals/<name>.json (see README).',
    });
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(chosen)) {
    throw new UserError(`eval name \`${chosen}\` is not a kebab-case name`, { field: '--eval', hint: `Known evals: ${known.join(', ') || 'none'}.` });
  }
  const abs = join(root, 'evals', `${chosen}.json`);
  const file = relative(root, abs);
  if (!existsSync(abs)) {
    throw new UserError(`no eval named \`${chosen}\``, { file, hint: `Known evals: ${known.join(', ') || 'none'}.` });
  }
  refuseMisplacedKeys(abs, file, 'eval');
  const definition = readJsonFile(abs, EvalDefinition, undefined, file);
  if (definition.name !== chosen) {
    throw new UserError(`the eval's name \`${definition.name}\` differs from its file name`, { file, field: 'name', hint: `Rename the file or set "name": "${chosen}".` });
  }
  return { definition, file, sha256: sha256(readFileSync(abs)) };
}
