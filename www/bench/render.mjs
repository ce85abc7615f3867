#!/usr/bin/env node
// Re-renders BENCHMARKS.md from the raw figures of the last full run
// (target/bench-results/results-full.json), e.g. after a change to the
// wording in report.mjs. The figures themselves only ever come from
// `cargo xtask bench`. Usage: node www/bench/render.mjs [results.json]

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown, renderTable } from './report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const file = process.argv[2] ?? path.join(target, 'bench-results', 'results-full.json');
const results = JSON.parse(readFileSync(file, 'utf8'));
if (results.quick) {
  console.error('render.mjs: these are --quick results; BENCHMARKS.md only holds full runs');
  process.exit(2);
}
writeFileSync(path.join(root, 'BENCHMARKS.md'), renderMarkdown(results));
console.log(`${renderTable(results)}\n\nwrote BENCHMARKS.md from ${path.relative(root, file)}`);
