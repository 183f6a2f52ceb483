import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.ts';
import { readJsonFile } from '../core/json-file.ts';
import { canonicalJson, sha256 } from '../core/hash.ts';

export const PromptMeta = z.strictObject({
  version: z.string().regex(/^v\d+$/),
  date: z.string(),
  changes: z.string(),
  why: z.string(),
});
export type PromptMeta = z.infer<typeof PromptMeta>;

export const PromptLock = z.record(z.string().regex(/^v\d+$/), z.string().regex(/^[0-9a-f]{64}$/));

export interface PromptVersion {
  name: string;
  version: string;
  meta: PromptMeta;
  system: string | null;
  user: string;
  /** Template files relative to the project root, for error messages. */
  files: { system: string | null; user: string };
  sha256: string;
  /** Listed in prompts.lock.json (released, immutable). */
  released: boolean;
}

/** The hash that locks a prompt version: over its template texts, nothing else. */
export function hashPromptTexts(system: string | null, user: string): string {
  return sha256(canonicalJson({ system, user }));
}

function versionNumber(v: string): number {
  return Number(v.slice(1));
}

/** Versions of a prompt, oldest first. */
export function listPromptVersions(root: string, name: string): string[] {
  const dir = join(root, 'prompts', name);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !existsSync(dir)) {
    const known = existsSync(join(root, 'prompts')) ? readdirSync(join(root, 'prompts')) : [];
    throw new UserError(`no prompt named \`${name}\``, { file: `prompts/${name}`, hint: `Known prompts: ${known.join(', ') || 'none'}.` });
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^v\d+$/.test(d.name))
    .map((d) => d.name)
    .sort((a, b) => versionNumber(a) - versionNumber(b));
}

export function readPromptLock(root: string, name: string): Record<string, string> {
  const file = join(root, 'prompts', name, 'prompts.lock.json');
  return existsSync(file) ? readJsonFile(file, PromptLock, undefined, relative(root, file)) : {};
}

/**
 * Load one prompt version. A released version (in prompts.lock.json) whose text changed is an
 * error: released prompts are immutable, so a change needs a new version.
 */
export function loadPromptVersion(root: string, name: string, version: string): PromptVersion {
  const versions = listPromptVersions(root, name);
  if (!versions.includes(version)) {
    throw new UserError(`prompt \`${name}\` has no version \`${version}\``, {
      file: `prompts/${name}`,
      field: 'prompt_versions',
      hint: `Known versions: ${versions.join(', ') || 'none'}.`,
    });
  }
  const dir = join(root, 'prompts', name, version);
  const userAbs = join(dir, 'user.hbs');
  const systemAbs = join(dir, 'system.hbs');
  if (!existsSync(userAbs)) throw new UserError('missing user.hbs', { file: relative(root, userAbs), hint: 'Each prompt version folder holds user.hbs, an optional system.hbs and meta.json.' });
  const user = readFileSync(userAbs, 'utf8');
  const system = existsSync(systemAbs) ? readFileSync(systemAbs, 'utf8') : null;
  const meta = readJsonFile(join(dir, 'meta.json'), PromptMeta, undefined, relative(root, join(dir, 'meta.json')));
  if (meta.version !== version) {
    throw new UserError(`meta.json says version \`${meta.version}\` inside folder \`${version}\``, { file: relative(root, join(dir, 'meta.json')), field: 'version' });
  }
  const hash = hashPromptTexts(system, user);
  const lock = readPromptLock(root, name);
  const locked = lock[version];
  if (locked && locked !== hash) {
    throw new UserError(`released prompt ${name}@${version} changed (sha256 ${hash.slice(0, 12)}…, locked ${locked.slice(0, 12)}…)`, {
      file: relative(root, userAbs),
      hint: `Released prompt versions are immutable. Undo the edit and create the next version instead (copy ${version}/ to v${versions.length + 1}/ and describe the change in its meta.json).`,
    });
  }
  return {
    name,
    version,
    meta,
    system,
    user,
    files: { system: system === null ? null : relative(root, systemAbs), user: relative(root, userAbs) },
    sha256: hash,
    released: Boolean(locked),
  };
}

/**
 * Scaffold the next version of a prompt from its latest one: copies the templates and writes a
 * meta.json whose `changes` and `why` are empty until you fill them in. The lock is not touched:
 * a version is locked when it is released (`releasePromptVersion`).
 */
export function scaffoldNextVersion(root: string, name: string, today: string): { version: string; dir: string } {
  const versions = listPromptVersions(root, name);
  const latest = versions[versions.length - 1];
  const next = `v${latest ? versionNumber(latest) + 1 : 1}`;
  const dir = join(root, 'prompts', name, next);
  mkdirSync(dir);
  if (latest) {
    for (const f of ['user.hbs', 'system.hbs']) {
      const from = join(root, 'prompts', name, latest, f);
      if (existsSync(from)) copyFileSync(from, join(dir, f));
    }
  } else {
    // A first version: the task's fields are the user's to place (this stage knows no task).
    writeFileSync(join(dir, 'user.hbs'), 'Answer with one JSON object, as the output contract asks.\n\n{{!-- Show the item: {{json <variable>}} for each of the task\'s item.variables. --}}\n');
  }
  const meta: PromptMeta = { version: next, date: today, changes: '', why: '' };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  return { version: next, dir: relative(root, dir) };
}

/**
 * Release a version: record its hash in prompts.lock.json, after which its text is immutable.
 * Refuses a version whose meta.json does not yet say what changed and why.
 */
export function releasePromptVersion(root: string, name: string, version: string): string {
  const p = loadPromptVersion(root, name, version);
  const metaFile = relative(root, join(root, 'prompts', name, version, 'meta.json'));
  if (!p.meta.changes.trim()) throw new UserError('say what changed before releasing', { file: metaFile, field: 'changes' });
  if (!p.meta.why.trim()) throw new UserError('say why it changed before releasing', { file: metaFile, field: 'why' });
  const lockFile = join(root, 'prompts', name, 'prompts.lock.json');
  const lock = readPromptLock(root, name);
  if (lock[version] === p.sha256) return p.sha256;
  lock[version] = p.sha256;
  const sorted = Object.fromEntries(Object.entries(lock).sort(([a], [b]) => versionNumber(a) - versionNumber(b)));
  writeFileSync(lockFile, JSON.stringify(sorted, null, 2) + '\n');
  return p.sha256;
}
