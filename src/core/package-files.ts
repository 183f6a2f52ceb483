/**
 * Where qualbench's own files are. The one module that knows both layouts:
 *
 * - source (this repository): `src/**\/*.ts`, run by Node's type stripping (`node src/cli.ts`, tests);
 * - build (the installed package): `dist/**\/*.js`, emitted by `npm run build` (`prepack`).
 *
 * `src/` and `dist/` mirror each other and sit side by side under the package root, so a file's place
 * is the same in both: the package root holds package.json, reports/*.hbs and the demo's evals/,
 * prompts/ and datasets/; the code folder holds the modules and the JSON files kept beside them
 * (src/core/*.schema.json, copied to dist/core by the build).
 *
 * Everything a command reads from the *user's* project (evals, prompts, datasets, runs) resolves from
 * the project root (the cwd), never from here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `src/` or `dist/`: the folder this module's tree was loaded from. */
const CODE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The installed package's folder (node_modules/qualbench), or the repository's root. */
export const PACKAGE_ROOT = resolve(CODE_DIR, '..');

/** Running from the TypeScript sources (the repository), not from the build. */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** A file shipped at the package root, e.g. `packageFile('reports', 'report.md.hbs')`. */
export function packageFile(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** A module of ours as a file Node can run: `codeFile('sim/main')` is src/sim/main.ts or dist/sim/main.js. */
export function codeFile(module: string): string {
  return join(CODE_DIR, `${module}.${FROM_SOURCE ? 'ts' : 'js'}`);
}

/** A non-code file kept beside the modules, e.g. `codeAsset('core/candidate-evaluation.schema.json')`. */
export function codeAsset(path: string): string {
  return join(CODE_DIR, path);
}

/** The tasks shipped with qualbench (tasks/<name>/task.json), for projects without their own. */
export const SHIPPED_TASKS_DIR = packageFile('tasks');

/** The default task's output contract (candidate screening; JSON Schema draft 2020-12). */
export const CONTRACT_SCHEMA_FILE = packageFile('tasks', 'candidate-screening', 'contract.schema.json');

/** qualbench's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}

/**
 * How the user can run qualbench again, as typed: `npx qualbench` from an installed package, or
 * `node <repo>/src/cli.ts` from a checkout (where `qualbench` is not on PATH).
 */
export function cliCommand(): string {
  if (!FROM_SOURCE) return 'npx qualbench';
  if (resolve(process.cwd()) === PACKAGE_ROOT) return 'npm run qualbench --';
  const cli = relative(process.cwd(), codeFile('cli')) || codeFile('cli');
  return `node ${cli.includes(' ') ? JSON.stringify(cli) : cli}`;
}
