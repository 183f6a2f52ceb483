/**
 * Regenerate schemas/gate.schema.json from the zod GateReport schema:
 * `node src/gate/write-gate-schema.ts`. A unit test fails when the committed file drifts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATE_SCHEMA_FILE, gateJsonSchemaText } from './gate-json-schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(root, GATE_SCHEMA_FILE);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, gateJsonSchemaText());
console.log(`wrote ${GATE_SCHEMA_FILE}`);
