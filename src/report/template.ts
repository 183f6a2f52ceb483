import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { UserError } from '../core/errors.ts';

// Every C0 control but tab, line feed and carriage return, and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Compile a report template strictly (a misspelt variable is an error, not an empty cell) and render
 * it with a view (built after the template is read); errors name the template file and where its fields come from.
 */
export function renderTemplate(file: string, view: () => unknown, opts: { escape: boolean; viewSource: string }): string {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the report template (${(e as NodeJS.ErrnoException).code})`, { file });
  }
  const template = Handlebars.create().compile(source, { noEscape: !opts.escape, strict: true });
  const values = view();
  try {
    // Control characters can only come from data (model output, dataset values): a NUL or an escape
    // sequence has no place in Markdown or HTML, and some viewers stop at a NUL. Shown as U+FFFD.
    return template(values).replace(CONTROL, '\uFFFD');
  } catch (e) {
    throw new UserError(`report template: ${(e as Error).message}`, { file, hint: `The template may only use the fields of ${opts.viewSource}.` });
  }
}

/** Class names summed over groups, `first` leading, then by total count, then by name. */
export function orderedClasses(counts: Record<string, number>[], first: string): string[] {
  const totals = new Map<string, number>();
  for (const c of counts) for (const [k, n] of Object.entries(c)) totals.set(k, (totals.get(k) ?? 0) + n);
  return [...totals].sort((a, b) => (a[0] === first ? -1 : b[0] === first ? 1 : b[1] - a[1] || a[0].localeCompare(b[0]))).map(([k]) => k);
}
