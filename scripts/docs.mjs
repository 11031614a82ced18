#!/usr/bin/env node
// Writes the README's reference tables from the engine's schema, so that the one table
// per enum in core/ feeds the docs as it feeds the parser and the page (the residual
// initializations' and the parameterizations' words come from wasm/residualInitText.mjs and
// wasm/parameterizationText.mjs, by the schema's names).
//   node scripts/docs.mjs          rewrite README.md between the <!-- schema:NAME --> markers
//   node scripts/docs.mjs --check  exit 1 if README.md is not what the schema gives
import { readFile, writeFile } from 'node:fs/promises';
import { loadInitscope } from '../wasm/initscope.mjs';
import { PARAMETERIZATION_TEXT } from '../wasm/parameterizationText.mjs';
import { RESIDUAL_INIT_TEXT } from '../wasm/residualInitText.mjs';

const readmeUrl = new URL('../core/README.md', import.meta.url);

// Markdown table cells: no raw pipes or newlines.
const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function paramText(p) {
  if (p.type === 'choice') return `\`${p.name}\` = ${p.default} (${p.choices.join(' \\| ')})`;
  const def = p.required ? 'required' : p.default === null ? 'null' : p.default;
  return `\`${p.name}\` = ${def} (${p.allowed})`;
}

const params = (list) => (list.length ? list.map(paramText).join('<br>') : '—');

function table(header, rows) {
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderSections(schema) {
  const frameworkOrder = ['keras', 'pytorch', 'teaching', 'paper'];
  const inits = [...schema.initializers].sort(
    (a, b) => frameworkOrder.indexOf(a.framework) - frameworkOrder.indexOf(b.framework));
  const ranks = (i) => (i.minRank === i.maxRank ? `${i.minRank}` : `${i.minRank}–${i.maxRank}`);
  const optimizerParams = Object.fromEntries(
    schema.optimizers.params.map((p) => [p.name, p]));
  return {
    initializers: table(
      ['name', 'framework', 'formula', 'parameters', 'rank', 'notes'],
      inits.map((i) => [`\`${i.name}\``, i.framework, i.formula, params(i.params), ranks(i), i.doc])),
    layerKinds: table(
      ['kind', 'Keras', 'PyTorch', 'units', 'activation', 'output layer', 'parameters', 'notes'],
      schema.layerKinds.map((k) => [
        `\`${k.name}\``, k.keras, k.pytorch, k.units ? 'yes' : 'keeps its width', k.activation ? 'yes' : 'none',
        k.output ? 'yes' : 'no', params(k.params), k.doc])),
    activations: table(
      ['name', 'φ(z)', 'φ′(z)', 'parameters', 'notes'],
      schema.activations.map((a) => [`\`${a.name}\``, a.formula, a.derivative, params(a.params), a.doc])),
    losses: table(
      ['name', 'formula', 'output layer', 'notes'],
      schema.losses.map((l) => [`\`${l.name}\``, l.formula, l.anyOutput ? 'any' : l.requiredOutput, l.doc])),
    optimizers: table(
      ['name', 'update', 'parameters', 'notes'],
      schema.optimizers.optimizers.map((o) => [
        `\`${o.name}\``, o.formula,
        o.params.map((name) => (name === 'lr' ? `\`lr\` = ${o.defaultLr}` : paramText(optimizerParams[name]).split(' (')[0])).join(', '),
        o.doc])),
    schedules: table(
      ['name', 'learning rate of update s', 'parameters', 'notes'],
      schema.optimizers.schedules.map((r) => [`\`${r.name}\``, r.formula, params(r.params), r.doc])),
    residualInits: table(
      ['name', 'formula', 'parameters', 'paper', 'notes'],
      schema.residualInits.map((r) => {
        const { formula, paper, doc } = RESIDUAL_INIT_TEXT[r.name];
        return [`\`${r.name}\``, formula, params(r.params), paper || '—', doc];
      })),
    parameterizations: table(
      ['name', 'layer', 'weights start', 'forward x·W', 'SGD lr', 'Adam lr', 'biases (start; lr)', 'source'],
      schema.parameterizations.flatMap((r) => Object.entries(PARAMETERIZATION_TEXT[r.name].places).map(([place, p]) => [
        `\`${r.name}\``, place, p.init, p.forward, p.sgdLr, p.adamLr, p.bias, p.source]))),
    datasets: table(
      ['name', 'inputs', 'classes', 'parameters', 'notes'],
      schema.datasets.datasets.map((d) => [
        `\`${d.name}\``, d.inputDim === 'csv' ? 'its columns' : d.inputDim,
        d.limits ? d.limits.filter((l) => l.name === 'classes').map((l) => `${l.min} to ${l.max}`)[0] : d.numClasses, params(d.params),
        d.source ? `${d.doc} Source: ${d.source}` : d.doc])),
    gains: table(
      ['nonlinearity', 'gain'],
      schema.gains.map((g) => [`\`${g.nonlinearity}\``, g.gain])),
    limits: table(
      ['limit', 'allowed', 'default', 'what it bounds'],
      Object.values(schema.limits).map((l) => [`\`${l.name}\``, l.allowed, l.default, l.doc])),
  };
}

// Replaces the text between <!-- schema:NAME --> and <!-- /schema:NAME --> markers.
export function applySections(readme, sections) {
  let out = readme;
  for (const [name, text] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- schema:${name} -->)[\\s\\S]*?(<!-- /schema:${name} -->)`);
    if (!pattern.test(out)) throw new Error(`core/README.md has no <!-- schema:${name} --> section`);
    out = out.replace(pattern, (_, open, close) => `${open}\n${text}\n${close}`);
  }
  return out;
}

async function main() {
  const lab = await loadInitscope();
  const readme = await readFile(readmeUrl, 'utf8');
  const wanted = applySections(readme, renderSections(lab.schema()));
  if (process.argv.includes('--check')) {
    if (wanted !== readme) {
      console.error('core/README.md is out of date with the schema: run `node scripts/docs.mjs`');
      process.exit(1);
    }
    return;
  }
  if (wanted !== readme) await writeFile(readmeUrl, wanted);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
