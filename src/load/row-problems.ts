import { UserError } from '../core/errors.ts';

interface Problem {
  line: number;
  field: string | undefined;
  message: string;
  hint: string;
}

/** How many bad rows one error lists before "and N more". */
export const LISTED_PROBLEMS = 20;

/**
 * Every bad row of a data file, collected in one pass and thrown as one error: the first
 * `LISTED_PROBLEMS` each with file, line and field, then "and N more", then what to do for each kind
 * of problem once. One bad row keeps the single-problem form `file:line: field: message`.
 */
export class RowProblems {
  private readonly listed: Problem[] = [];
  private total = 0;

  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  add(line: number, field: string | undefined, message: string, hint: string): void {
    this.total++;
    if (this.listed.length < LISTED_PROBLEMS) this.listed.push({ line, field, message, hint });
  }

  get count(): number {
    return this.total;
  }

  throwIfAny(): void {
    if (this.total === 0) return;
    const first = this.listed[0]!;
    if (this.total === 1) throw new UserError(first.message, { file: this.file, line: first.line, field: first.field, hint: first.hint });
    const where = (p: Problem) => `${this.file}:${p.line}: ${p.field ? `field \`${p.field}\`: ` : ''}${p.message}`;
    const more = this.total - this.listed.length;
    const hints = [...new Set(this.listed.map((p) => p.hint))];
    const body = [
      `${this.total} rows have problems${more > 0 ? ` (the first ${this.listed.length} listed)` : ''}:`,
      ...this.listed.map((p) => `  ${where(p)}`),
      ...(more > 0 ? [`  … and ${more} more`] : []),
    ].join('\n');
    throw new UserError(body, { file: this.file, hint: hints.join('\n  ') });
  }
}
