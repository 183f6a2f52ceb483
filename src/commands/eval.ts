import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { runEval } from '../pipeline.ts';
import { EVAL_OPTIONS, concurrencyOption, intOption, interruptible, makeProgress, parse, reportOutcome, type Io } from './shared.ts';
import { help } from './help.ts';
import { gateEvent, runGate } from './gate.ts';

/** `qualbench eval` */
export async function cmdEval(argv: string[]): Promise<number> {
  const { values } = parse(argv, EVAL_OPTIONS);
  if (values.help) return help();
  const env = readEnv();
  // --ci: quiet, machine-readable, and gated.
  const io: Io = { root: process.cwd(), quiet: Boolean(values.quiet || values.ci), json: Boolean(values.json || values.ci) };
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
      concurrency: concurrencyOption(values.concurrency),
      out: values.out,
      resume: values.resume,
      baseUrl: values['base-url'],
      storeDir: resolve(io.root, values.store ?? env.storeDir ?? '.qualbench/store'),
      timeoutMs: intOption('timeout-ms', values['timeout-ms']),
      maxAttempts: intOption('max-attempts', values['max-attempts']),
      progress: makeProgress(io),
      signal: controller.signal,
    });
    const code = reportOutcome(io, outcome);
    if (!values.ci || outcome.interrupted) return code;
    const gate = await runGate(io.root, outcome.runDir, { baseline: values.baseline }, (md) => process.stderr.write(md + '\n'));
    process.stdout.write(JSON.stringify(gateEvent(gate.outcome, `${outcome.runDir}/junit.xml`)) + '\n');
    return gate.code;
  } finally {
    release();
  }
}
