import { EXIT, UserError } from '../core/errors.ts';
import { listPromptVersions, loadPromptVersion } from '../load/load-prompts.ts';

/** `qualbench prompts list [NAME]` */
export async function cmdPrompts(argv: string[]): Promise<number> {
  const [sub, name = 'candidate-screening'] = argv;
  if (sub !== 'list') throw new UserError(`unknown prompts command \`${sub ?? ''}\``, { hint: 'qualbench prompts list [NAME]' });
  const root = process.cwd();
  for (const v of listPromptVersions(root, name)) {
    const p = loadPromptVersion(root, name, v);
    process.stdout.write(`${name}@${v}  ${p.sha256.slice(0, 12)}  ${p.released ? 'released' : 'draft   '}  ${p.meta.date}  ${p.meta.changes.split(/(?<=\.)\s/)[0]}\n`);
  }
  return EXIT.ok;
}
