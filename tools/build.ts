/**
 * `npm run build` (and `prepack`): emit the package's JavaScript and declarations into dist/, so it
 * installs and runs on Node >= 22 without TypeScript tooling (Node does not strip types under
 * node_modules). The repository itself keeps running from src/.
 *
 * 1. remove dist/ (nothing stale is packed);
 * 2. `tsc -p tsconfig.build.json`: src/**\/*.ts -> dist/**\/*.js + .d.ts, relative `.ts` imports
 *    rewritten to `.js` (rewriteRelativeImportExtensions);
 * 3. copy the non-code files the modules read beside them (src/**\/*.json, e.g. the output contract)
 *    to the same place under dist/ (see src/core/package-files.ts);
 * 4. check that no emitted module still imports a `.ts` file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

rmSync(DIST, { recursive: true, force: true });
const tsc = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
execFileSync(tsc, ['-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });

const assets = filesUnder(SRC).filter((f) => f.endsWith('.json'));
for (const f of assets) cpSync(f, join(DIST, relative(SRC, f)));

const modules = filesUnder(DIST).filter((f) => f.endsWith('.js'));
const bad = modules.filter((f) => /(?:from\s*|import\(\s*)['"]\.{1,2}\/[^'"]*\.ts['"]/.test(readFileSync(f, 'utf8')));
if (bad.length) {
  process.stderr.write(`build: these modules still import .ts files:\n${bad.map((f) => `  ${relative(ROOT, f)}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`build: dist/ holds ${modules.length} modules and ${assets.length} JSON file(s) (${assets.map((f) => relative(SRC, f)).join(', ')})\n`);
