/**
 * Three kinds of error:
 * - `UserError`: a problem the user can fix (bad config, malformed row, missing template variable).
 *   Printed without a stack; names the file, line and field, and says what to do. Raised before any request.
 * - per-item failures (HTTP errors, unparsable output, scorer exceptions) are data, not exceptions.
 * - anything else is a bug and crashes with its stack.
 */

/** Documented process exit codes. One owner. */
export const EXIT = {
  ok: 0,
  /** A quality gate failed. */
  gateFailed: 1,
  /** Bad usage, config or input: nothing was sent. */
  usage: 2,
  /** The run aborted (server unreachable, interrupted, I/O failure); it can be resumed. */
  aborted: 3,
  /**
   * No trustworthy verdict: the run finished but too many of its requests failed, or a gate or a
   * baseline was asked to judge a run with missing or failed items. Complete the run
   * (`qualbench eval --resume <run> --retry-errors`), or say that partial data is fine (`--allow-partial`).
   */
  untrusted: 4,
  /** A bug in qualbench: printed with its stack. */
  bug: 70,
} as const;

export interface UserErrorLocation {
  file?: string;
  line?: number;
  field?: string;
}

export class UserError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, where: UserErrorLocation & { hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'UserError';
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
    this.hint = where.hint;
    this.exitCode = where.exitCode ?? EXIT.usage;
  }

  /** `file:line: field: message\n  hint` */
  format(): string {
    const at = [this.file, this.line].filter((x) => x !== undefined).join(':');
    const head = [at, this.field ? `field \`${this.field}\`` : undefined].filter(Boolean).join(': ');
    return `${head ? `${head}: ` : ''}${this.message}${this.hint ? `\n  ${this.hint}` : ''}`;
  }
}

/** The run could not go on (unreachable server, interrupted): exit 3, resumable. */
export class RunAbortedError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: EXIT.aborted });
    this.name = 'RunAbortedError';
  }
}

/**
 * Turn zod issues into a UserError naming the file, line and first failing field.
 * @example throw zodToUserError(result.error, 'datasets/x/data.jsonl', 12)
 */
export function zodToUserError(
  error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
  file: string,
  line?: number,
  hint?: string,
): UserError {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new UserError(`${first?.message ?? 'invalid'}${more}`, { file, line, field, hint });
}
