// The formula panel (web/src/formula.js through web/src/mathml.js): every initializer's
// TeX becomes MathML the browser draws, with the right structure (roots, fractions) and
// the engine's σ for the chosen layer among its numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { serveDist, launch, openLab } from './helpers.mjs';

let server;
let browser;
let schema;

before(async () => {
  schema = (await loadInitscope()).schema();
  server = await serveDist();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** What the panel shows for σ (charts/base.js fmt, 3 significant digits): the mantissa
 * alone when it writes a × 10^k. */
function shown(std) {
  if (std === 0) return '0';
  const abs = Math.abs(std);
  if (abs >= 1e5 || abs < 1e-3) return std.toExponential(2).split('e')[0];
  return Number(std.toPrecision(3)).toString();
}

/** The panel as data: σ from the snapshot, and per line the drawn MathML's element names
 * and numbers (the TeX annotation left out), the merrors' titles. */
const readPanel = (page) => page.$eval('[data-testid="formula"]', (el) => ({
  std: Number(el.dataset.std),
  title: el.parentElement.querySelector('.formula-title').textContent,
  lines: [...el.querySelectorAll(':scope > math')].map((m) => {
    const drawn = m.querySelector('semantics').firstElementChild;
    return {
      tags: [...drawn.querySelectorAll('*')].map((e) => e.localName),
      numbers: [...drawn.querySelectorAll('mn')].map((e) => e.textContent),
      errors: [...m.querySelectorAll('merror')].map((e) => e.getAttribute('title')),
      display: m.getAttribute('display'),
      namespace: m.namespaceURI,
      tex: m.querySelector('annotation[encoding="application/x-tex"]')?.textContent,
    };
  }),
}));

test('the default formula is MathML with a root over a fraction and the engine\'s σ', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const panel = await readPanel(page);
  // he_normal on layer 2 (fan_in 10): σ = √(2/fan_in) = √(2/10) = 0.447.
  assert.match(panel.title, /^he_normal .* on 10 → /);
  assert.ok(panel.lines.length >= 2);
  for (const line of panel.lines) {
    assert.equal(line.namespace, 'http://www.w3.org/1998/Math/MathML');
    assert.equal(line.display, 'block');
    assert.deepEqual(line.errors, []);
    assert.ok(line.tex.length > 0);
  }
  const sigmaLine = panel.lines.find((l) => l.tags.includes('msqrt'));
  assert.ok(sigmaLine, 'no line with a square root');
  assert.ok(sigmaLine.tags.includes('mfrac'), 'the root holds no fraction');
  assert.deepEqual(sigmaLine.numbers, ['2', '2', '10', '0.447']);
  assert.equal(shown(panel.std), '0.447');
  // The script N of the law (\mathcal{N}) is the Unicode script letter, not a plain N.
  assert.ok(await page.$eval('[data-testid="formula"]', (el) => el.textContent.includes('\u{1d4a9}')));
  assert.deepEqual(errors, []);
  await page.close();
});

test('every initializer\'s formula parses, and shows the snapshot\'s σ', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const names = await page.$$eval('[data-field="init"] option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(names, schema.initializers.filter((i) => names.includes(i.name)).map((i) => i.name));
  assert.ok(names.length > 20);
  for (const name of names) {
    await page.selectOption('[data-field="init"]', name);
    await page.waitForFunction((n) => document.querySelector('.formula-title').textContent.startsWith(`${n} `), name);
    const panel = await readPanel(page);
    assert.ok(panel.lines.length >= 1, name);
    for (const line of panel.lines) assert.deepEqual(line.errors, [], `${name}: ${line.tex}`);
    const numbers = panel.lines.flatMap((l) => l.numbers);
    assert.ok(numbers.includes(shown(panel.std)), `${name}: σ ${panel.std} shown as ${shown(panel.std)} is not among ${numbers.join(' ')}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
