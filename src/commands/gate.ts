import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { gateEvent, runGate } from '../usecases/gate-run.ts';
import { intOption, parse } from './shared.ts';
import { help } from './help.ts';

/** `qualbench gate <run-dir> [--baseline FILE] [--allow-mismatch] [--looks K] [--json]` (--looks: re-gate one look of a sequential eval planned with K looks) */
export async function cmdGate(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { baseline: { type: 'string' }, 'allow-mismatch': { type: 'boolean' }, 'allow-partial': { type: 'boolean' }, json: { type: 'boolean' }, looks: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  if (!positionals[0]) throw new UserError('name the run directory to gate', { hint: 'qualbench gate runs/<run> [--baseline baselines/<eval>.json]' });
  const runDir = resolve(positionals[0]);
  const { code, outcome } = await runGate(process.cwd(), runDir, { baseline: values.baseline, allowMismatch: values['allow-mismatch'], allowPartial: values['allow-partial'], looks: intOption('looks', values.looks) }, (s) => {
    if (!values.json) process.stdout.write(s + '\n');
  });
  if (values.json) process.stdout.write(JSON.stringify(gateEvent(outcome, join(runDir, 'junit.xml'))) + '\n');
  return code;
}
