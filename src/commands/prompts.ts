import { createTwoFilesPatch } from 'diff';
import { EXIT, UserError } from '../core/errors.ts';
import { listPromptVersions, loadPromptVersion, releasePromptVersion, scaffoldNextVersion, type PromptVersion } from '../load/load-prompts.ts';
import { templateVariables } from '../render/template-variables.ts';
import { parse } from './shared.ts';

const USAGE = 'qualbench prompts list [NAME] | new NAME | diff NAME@vA NAME@vB | release NAME@vN';

function ref(text: string | undefined, what: string): { name: string; version: string } {
  const m = text ? /^([a-z0-9][a-z0-9-]*)@(v\d+)$/.exec(text) : null;
  if (!m) throw new UserError(`Expected ${what} as \`name@vN\`, got \`${text ?? ''}\``, { hint: USAGE });
  return { name: m[1]!, version: m[2]! };
}

function variablesOf(p: PromptVersion): Set<string> {
  return new Set([...templateVariables(p.user), ...(p.system ? templateVariables(p.system) : [])]);
}

/** `qualbench prompts list|new|diff|release` */
export async function cmdPrompts(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const root = process.cwd();
  const { positionals } = parse(rest, {});
  if (sub === 'list') {
    const name = positionals[0] ?? 'candidate-screening';
    for (const v of listPromptVersions(root, name)) {
      const p = loadPromptVersion(root, name, v);
      process.stdout.write(`${name}@${v}  ${p.sha256.slice(0, 12)}  ${p.released ? 'released' : 'draft   '}  ${p.meta.date}  ${p.meta.changes.split(/(?<=\.)\s/)[0] || '(changes not described yet)'}\n`);
    }
    return EXIT.ok;
  }
  if (sub === 'new') {
    const name = positionals[0];
    if (!name) throw new UserError('name the prompt', { hint: USAGE });
    const { version, dir } = scaffoldNextVersion(root, name, new Date().toISOString().slice(0, 10));
    process.stdout.write(`Created ${name}@${version} in ${dir}/ from the latest version.\nEdit the templates, describe the change in ${dir}/meta.json, then: qualbench prompts release ${name}@${version}\n`);
    return EXIT.ok;
  }
  if (sub === 'release') {
    const { name, version } = ref(positionals[0], 'the version to release');
    const hash = releasePromptVersion(root, name, version);
    process.stdout.write(`Released ${name}@${version} (${hash.slice(0, 12)}); its text is now locked in prompts/${name}/prompts.lock.json.\n`);
    return EXIT.ok;
  }
  if (sub === 'diff') {
    const a = ref(positionals[0], 'the first version');
    const b = ref(positionals[1], 'the second version');
    const pa = loadPromptVersion(root, a.name, a.version);
    const pb = loadPromptVersion(root, b.name, b.version);
    const out: string[] = [];
    for (const part of ['system', 'user'] as const) {
      const ta = pa[part] ?? '';
      const tb = pb[part] ?? '';
      if (ta === tb) continue;
      out.push(createTwoFilesPatch(`${a.name}@${a.version}/${part}.hbs`, `${b.name}@${b.version}/${part}.hbs`, ta, tb, '', '', { context: 2 }).trimEnd());
    }
    const va = variablesOf(pa);
    const vb = variablesOf(pb);
    const added = [...vb].filter((v) => !va.has(v));
    const removed = [...va].filter((v) => !vb.has(v));
    out.push('', `variables added:   ${added.length ? added.join(', ') : '(none)'}`, `variables removed: ${removed.length ? removed.join(', ') : '(none)'}`);
    if (pa.sha256 === pb.sha256) out.unshift('The two versions have identical templates.');
    process.stdout.write(out.join('\n').replace(/^\n/, '') + '\n');
    return EXIT.ok;
  }
  throw new UserError(`unknown prompts command \`${sub ?? ''}\``, { hint: USAGE });
}
