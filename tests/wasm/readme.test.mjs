// The README's JS API example runs as printed, and prints what the README says it prints
// (numbers compared to 4 significant digits, so that the last bits of an engine change do
// not fail it, while a changed result does).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const api = new URL('../../wasm/initscope.mjs', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'initscope-readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const round = (text) => text.replace(/-?\d+\.\d+(e[-+]?\d+)?/g, (n) => String(Number(Number(n).toPrecision(4))));

test('the JS API example of the README runs and prints what the README shows', async () => {
  const section = readme.slice(readme.indexOf('\n## The engine from JS'));
  const code = section.match(/```js\n([\s\S]*?)```/)?.[1];
  const printed = section.match(/It prints:\n\n```\n([\s\S]*?)```/)?.[1];
  assert.ok(code && printed, 'the README has the example and its output under "## The engine from JS"');
  assert.match(code, /from 'initscope'/);
  // Outside the repository the package name does not resolve: point it at the module.
  const file = join(dir, 'example.mjs');
  writeFileSync(file, code.replace("from 'initscope'", `from '${api}'`));
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, [file], (err, out, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(out)));
  });
  assert.equal(round(stdout), round(printed));
});
