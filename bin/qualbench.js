#!/usr/bin/env node
// Runs the TypeScript sources directly: Node >= 22.18 strips types natively (Node 24 LTS recommended).
import '../src/cli.ts';
