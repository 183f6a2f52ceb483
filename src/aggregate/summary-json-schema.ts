import { z } from 'zod';
import { Summary } from '../core/records.ts';

/** Where the committed JSON Schema of summary.json lives, relative to the project root. */
export const SUMMARY_SCHEMA_FILE = 'schemas/summary.schema.json';

/** The JSON Schema (draft 2020-12) of summary.json, generated from the zod `Summary`: one source of truth. */
export function summaryJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Summary, { target: 'draft-2020-12' }),
    $id: 'summary.schema.json',
    title: 'qualbench run summary',
    description: 'summary.json of a qualbench run directory: per model x prompt version and per model, validity rates, agreement with gold labels and speed. Generated from src/core/records.ts (Summary) by `node src/aggregate/write-summary-schema.ts`; do not edit by hand.',
  };
}

/** The schema as the committed file's text. */
export function summaryJsonSchemaText(): string {
  return JSON.stringify(summaryJsonSchema(), null, 2) + '\n';
}
