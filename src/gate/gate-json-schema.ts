import { z } from 'zod';
import { GateReport } from '../core/gate-records.ts';

/** Where the committed JSON Schema of gate.json lives, relative to the project root. */
export const GATE_SCHEMA_FILE = 'schemas/gate.schema.json';

/** The JSON Schema (draft 2020-12) of gate.json, generated from the zod `GateReport`: one source of truth. */
export function gateJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(GateReport, { target: 'draft-2020-12' }),
    $id: 'gate.schema.json',
    title: 'qualbench gate report',
    description: 'gate.json of a qualbench run directory: the verdict of every gate with its interval, corrected p-value, reference and minimum detectable effect. Generated from src/core/gate-records.ts (GateReport) by `node src/gate/write-gate-schema.ts`; do not edit by hand.',
  };
}

/** The schema as the committed file's text. */
export function gateJsonSchemaText(): string {
  return JSON.stringify(gateJsonSchema(), null, 2) + '\n';
}
