/**
 * Print the pull-request comment of a finished run (decision block, failing gates, link to the HTML
 * report) for the GitHub workflow: `node tools/pr-comment.ts <run-dir> [--report-url URL] > comment.md`.
 * Reads summary.json, manifest.json and, when the gate ran, gate.json; sends nothing.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readJsonFile } from '../src/core/json-file.ts';
import { RunManifest, Summary } from '../src/core/records.ts';
import { GateReport } from '../src/core/gate-records.ts';
import { renderPrComment } from '../src/report/pr-comment.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'report-url': { type: 'string' }, out: { type: 'string' } } });
const dir = positionals[0];
if (!dir) {
  process.stderr.write('usage: node tools/pr-comment.ts <run-dir> [--report-url URL] [--out FILE]\n');
  process.exit(2);
}
const summary = readJsonFile(join(dir, 'summary.json'), Summary);
const manifest = readJsonFile(join(dir, 'manifest.json'), RunManifest);
const gateFile = join(dir, 'gate.json');
const gate = existsSync(gateFile) ? readJsonFile(gateFile, GateReport) : null;
const text = renderPrComment(summary, manifest, gate, values['report-url'] ? { reportUrl: values['report-url'] } : {});
if (values.out) writeFileSync(values.out, text);
else process.stdout.write(text);
