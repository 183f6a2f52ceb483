import { EXIT } from '../core/errors.ts';
import { qualbenchVersion } from '../pipeline.ts';

export const HELP = `qualbench ${'$VERSION'}: quality evaluation and regression for LLMs served by vLLM

Usage:
  qualbench init [--task NAME] [--rows-per-class N]
                                      scaffold tasks/, evals/, prompts/, datasets/ with a shipped task's example here
  qualbench eval [--eval NAME] [--model ID ...] [--sample N] [--concurrency N|auto] [--out DIR] [--resume DIR [--retry-errors]] [--ci]
                 [--max-error-rate R] [--allow-partial]
  qualbench eval --sequential [--looks 100,200,400,all] [--baseline FILE] ...
                                      gate a small nested sample, add items only while a gate is inconclusive
  qualbench demo [--out DIR] [--sample N] [--speed auto|X]
  qualbench import <file> --model LABEL [--eval NAME] [--prompt-version V] [--out DIR]
                                      score a vllm run-batch / OpenAI Batch output file (custom_id = item id)
  qualbench export-batch [--eval NAME] [--model ID ...] [--sample N] [--out DIR]
                                      write run-batch / OpenAI Batch input files (custom_id = item id)
  qualbench watch --prompt NAME@vN --model ID [--sample N]
                                      re-run a sample on every template save: deltas and flipped items
  qualbench gate <run-dir> [--baseline FILE] [--allow-mismatch] [--allow-partial] [--looks K] [--json]
                                      check the eval's gates; exit 1 when one fails; writes gate.json, junit.xml
  qualbench baseline update <run-dir> [--out FILE] [--allow-partial]   write the committed baseline (baselines/<eval>.json)
  qualbench compare <run-a> <run-b> [--json]   metric differences with intervals, and the items that flipped
  qualbench rescore <run-dir>         re-score, re-aggregate and re-report a run; sends nothing
  qualbench report <run-dir> [<run-dir> ...] [--out DIR] [--label L ...] [--prices FILE] [--cascade A:B ...]
                                      report.md + report.html from finished runs; several runs become one
                                      comparison (environments compared, cascades across runs); sends nothing
  qualbench batch --model ID [--prompt-version V] [--sample N] --base-url URL [--out DIR] [--poll-ms N] | --resume DIR
                                      run on an OpenAI-compatible hosted Batch API: upload, create, poll, download, score
  qualbench sim [--port N] [--speed X|auto|instant] [--seed N] [--api-key KEY] ...   (see docs/simulator.md)
  qualbench prompts list [NAME] | new NAME | diff NAME@vA NAME@vB | release NAME@vN
  qualbench datasets stats [NAME] [--sample N] [--seed N] [--json]

Common options:
  --quiet            no progress output
  --json             print the outcome as one JSON line on stdout
  --store DIR        response store (default .qualbench/store, or QUALBENCH_STORE)
  --base-url URL     send every model to this OpenAI-compatible base URL
  --timeout-ms N     per-request timeout (default 120000)
  --max-attempts N   attempts per request, the first included (default 5)
  --retry-errors     with --resume: send again the items whose request ended in an error
  --max-error-rate R a group with more than this share of failed requests fails the run, exit 4 (default 0.1);
                     against the simulator, also requests slower than --timeout-ms in simulated GPU time
  --allow-partial    gate / baseline a run with missing or failed items anyway (labelled PARTIAL)

Endpoints: models without base_url use VLLM_BASE_URL, else http://localhost:8000/v1.
Exit codes: 0 ok, 1 gate failed, 2 usage/config error (nothing sent), 3 run aborted (resumable),
  4 no trustworthy verdict (too many failed requests; or gate/baseline asked to judge a run with missing
  or failed items), 70 bug.`;

export function help(): number {
  process.stdout.write(HELP.replace('$VERSION', qualbenchVersion()) + '\n');
  return EXIT.ok;
}

/**
 * `qualbench <command> [sub] --help`: the usage lines of that command from HELP (with their
 * continuation lines), then the common options. Every command answers --help the same way.
 */
export function commandHelp(command: string): number {
  const lines = HELP.replace('$VERSION', qualbenchVersion()).split('\n');
  const out: string[] = [];
  let inCommand = false;
  for (const line of lines) {
    if (/^  qualbench /.test(line)) inCommand = line.startsWith(`  qualbench ${command} `) || line.trimEnd() === `  qualbench ${command}`;
    else if (!/^ {3,}/.test(line)) inCommand = false;
    if (inCommand) out.push(line);
  }
  const common = lines.slice(lines.findIndex((l) => l.startsWith('Common options:')));
  process.stdout.write(['Usage:', ...out, '', ...common].join('\n') + '\n');
  return EXIT.ok;
}
