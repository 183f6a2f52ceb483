import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { runEval } from '../pipeline.ts';
import { EVAL_OPTIONS, intOption, interruptible, makeProgress, parse, reportOutcome, type Io } from './shared.ts';
import { help } from './help.ts';

/** `qualbench eval` */
export async function cmdEval(argv: string[]): Promise<number> {
  const { values } = parse(argv, EVAL_OPTIONS);
  if (values.help) return help();
  const env = readEnv();
  const io: Io = { root: process.cwd(), quiet: Boolean(values.quiet), json: Boolean(values.json) };
  if (values.out && values.resume) throw new UserError('use either --out (a new run) or --resume (an existing one), not both', { field: '--resume' });
  const controller = new AbortController();
  const release = interruptible(() => controller.abort());
  try {
    const outcome = await runEval({
      root: io.root,
      env,
      evalName: values.eval,
      models: values.model,
      sample: intOption('sample', values.sample),
      concurrency: intOption('concurrency', values.concurrency),
      out: values.out,
      resume: values.resume,
      baseUrl: values['base-url'],
      storeDir: resolve(io.root, values.store ?? env.storeDir ?? '.qualbench/store'),
      timeoutMs: intOption('timeout-ms', values['timeout-ms']),
      maxAttempts: intOption('max-attempts', values['max-attempts']),
      progress: makeProgress(io),
      signal: controller.signal,
    });
    return reportOutcome(io, outcome);
  } finally {
    release();
  }
}
