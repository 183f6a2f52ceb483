#!/usr/bin/env node
// The `qualbench` command. From the installed package it runs the build (dist/, emitted by `npm run build`
// at pack time: Node does not strip types under node_modules). In a checkout of the repository, where
// src/ is present, it runs the TypeScript sources directly (Node >= 22.18 strips types natively).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
const fromSource = existsSync(source) && !/[\\/]node_modules[\\/]/.test(decodeURIComponent(source.pathname));
const { main } = await import(fromSource ? source.href : new URL('../dist/cli.js', import.meta.url).href);

await main(process.argv.slice(2));
