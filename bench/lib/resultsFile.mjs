// bench/RESULTS.md holds every measured number of the project: the benchmarks' part (written
// by bench/run.mjs) and, after SOAK_MARKER, the soak's part (written by bench/soak.mjs). Each
// script replaces its own part and keeps the other's.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const RESULTS_FILE = new URL('../RESULTS.md', import.meta.url);
export const SOAK_MARKER = '<!-- npm run soak writes below this line -->';

const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Writes the benchmarks' part, keeping the soak's. */
export function writeBenchPart(text, file = RESULTS_FILE) {
  const old = read(file);
  const i = old.indexOf(SOAK_MARKER);
  writeFileSync(file, i < 0 ? text : `${text.trimEnd()}\n\n${old.slice(i)}`);
}

/** Writes the soak's part, keeping the benchmarks'. */
export function writeSoakPart(text, file = RESULTS_FILE) {
  const old = read(file);
  const i = old.indexOf(SOAK_MARKER);
  const head = (i < 0 ? old : old.slice(0, i)).trimEnd();
  writeFileSync(file, `${head}\n\n${SOAK_MARKER}\n\n${text.trimEnd()}\n`);
}
