/**
 * Regenerate schemas/summary.schema.json from the zod Summary schema:
 * `node src/aggregate/write-summary-schema.ts`. A unit test fails when the committed file drifts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUMMARY_SCHEMA_FILE, summaryJsonSchemaText } from './summary-json-schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(root, SUMMARY_SCHEMA_FILE);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, summaryJsonSchemaText());
console.log(`wrote ${SUMMARY_SCHEMA_FILE}`);
