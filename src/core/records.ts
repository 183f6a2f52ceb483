/**
 * Every record that crosses a stage boundary, as a zod schema (types from `z.infer`), one file per family:
 * dataset-records (rows, dataset manifest), config-records (models, evals), run-records (requests, results,
 * scores, timing, the manifest, RUN_FILES), summary-records, decision-records and speed-records (`summary.json`),
 * gate-records (gates, baselines, verdicts), task-records (task declarations). Candidate screening's own
 * records (its vocabularies and rows) are its task module's: src/tasks/candidate-screening/records.ts.
 *
 * The pipeline walks once: load -> render -> run -> score -> aggregate -> report. Each stage writes what it
 * produced (JSONL/JSON) into the run directory using these shapes, so a later stage can be re-run from disk
 * without calling a model. This module re-exports them for the code that imports records from one place.
 */
export * from './dataset-records.ts';
export * from './config-records.ts';
export * from './run-records.ts';
export * from './speed-records.ts';
export * from './summary-records.ts';
export * from './decision-records.ts';
