#!/usr/bin/env node
// Writes wasm/dist/limits.mjs from the built engine's schema: the limit rows (core/src/limits.cpp)
// and the config rows that code running before the engine loads must check (a link's keys
// in web/src/url.js, a sweep's axes in wasm/sweep.mjs). scripts/build runs it after each wasm
// build, so the rows are written once, in core, and the JS reads them from here.
import { writeFileSync } from 'node:fs';
import { loadInitscope } from '../wasm/initscope.mjs';

const lab = await loadInitscope();
const schema = lab.schema();
const { hiddenLayers, units, seed } = schema.config;
const text = `// Written by scripts/write-limits.mjs from the engine's schema at each wasm build: do not edit.
export const LIMITS = ${JSON.stringify(schema.limits, null, 1)};
export const CONFIG_LIMITS = ${JSON.stringify({ hiddenLayers, units, seed }, null, 1)};
`;
writeFileSync(new URL('../wasm/dist/limits.mjs', import.meta.url), text);
