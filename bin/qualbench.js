#!/usr/bin/env node
// Runs the TypeScript sources directly: Node >= 22.18 strips types natively (Node 24 LTS recommended).
import { main } from '../src/cli.ts';

await main(process.argv.slice(2));
