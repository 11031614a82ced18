// The Keras and PyTorch code export (web/src/codegen.js) writes the run's residual
// initialization: for each scheme of the schema, the lines that set what the engine sets
// after sampling (tests/parity/export.test.mjs runs the PyTorch code and compares its
// tensors with the engine's). The scheme's paper and formula are wasm/residualInitText.mjs's; the factor
// in the comment is the snapshot's; the gates are the config echo's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { kerasCode, pytorchCode, writtenResidualInits } from '../../web/src/codegen.js';
import { lab } from './helpers.mjs';

const schema = lab.schema();
const block = { kind: 'residual', activation: 'relu' };
// Two blocks of branch 2 and one of branch 1: L = 3, m = 2 (the first block's).
const config = (residualInit) => ({
  data: { name: 'circles' }, init: 'he_normal', residualInit,
  layers: [{ units: 8, activation: 'relu' }, block, block, { ...block, branch: 1 }, { units: 1, activation: 'sigmoid' }],
});

function code(residualInit) {
  const run = lab.createRun(config(residualInit));
  try {
    const input = {
      config: run.config, snapshot: run.snapshot(), schema, dataset: run.dataset(),
      context: { title: 't', version: lab.version, link: 'http://x/', dataFile: 'd.csv', step: 0 },
    };
    return { torch: pytorchCode(input), keras: kerasCode(input), snapshot: run.snapshot().residualInit };
  } finally {
    run.dispose();
  }
}

// The lines after the model that apply the scheme (from its heading to the next blank line).
const section = (text) => {
  const at = text.indexOf('# Residual initialization');
  return at < 0 ? '' : text.slice(at, text.indexOf('\n\n', at));
};

test('the code export writes every residual initialization the schema lists', () => {
  assert.deepEqual([...writtenResidualInits].sort(), schema.residualInits.map((r) => r.name).sort());
});

test('no residual initialization: no lines for one', () => {
  const { torch, keras } = code(undefined);
  assert.equal(section(torch), '');
  assert.equal(section(keras), '');
});

test('zero-last zeroes the last dense layer of each branch', () => {
  const { torch, keras } = code('zero-last');
  assert.match(section(torch), /^# Residual initialization "zero-last": zero-initialized last layer of each residual branch/);
  assert.match(section(torch), /\nblocks = \[layer for layer in model if isinstance\(layer, Residual\)\]\nwith torch\.no_grad\(\):\n {4}for block in blocks:\n {8}last = block\.lin1 if block\.lin2 is None else block\.lin2\n {8}last\.weight\.zero_\(\)$/);
  assert.match(section(keras), /\n {4}last = block\.dense1 if block\.dense2 is None else block\.dense2\n {4}last\.kernel\.assign\(keras\.ops\.zeros_like\(last\.kernel\)\)$/);
  assert.doesNotMatch(section(torch), /bias|output|alpha/);
});

test('fixup scales the branch by L^(-1/(2m-2)) computed in the code, zeroes the last layer, the biases and the output layer', () => {
  const { torch, keras, snapshot } = code('fixup');
  assert.deepEqual(snapshot, { name: 'fixup', blocks: 3, m: 2, factor: 1 / Math.sqrt(3) });
  for (const text of [torch, keras]) {
    assert.match(section(text), /^# Residual initialization "fixup": Zhang, Dauphin & Ma, "Fixup initialization: residual learning\n# {3}without normalization", ICLR 2019\.\n# W_i ← L\^\(-1\/\(2m-2\)\)·W_i/);
    assert.match(section(text), /# Every block's gate starts trainable at 1\.0: the Residual\(\.\.\.\) calls above say so\./);
    assert.match(section(text), /\nL = len\(blocks\) {2}# residual blocks\n/);
  }
  assert.ok(section(torch).includes([
    '    for block in blocks:',
    '        m = 1 if block.lin2 is None else 2  # dense layers in the branch',
    '        last = block.lin1 if block.lin2 is None else block.lin2',
    '        if m >= 2:',
    '            block.lin1.weight.mul_(L ** (-1 / (2 * m - 2)))  # 0.5773502692 for L = 3, m = 2, as initscope computed it',
    '        last.weight.zero_()',
    '        for layer in (block.lin1, block.lin2):',
    '            if layer is not None:',
    '                layer.bias.zero_()',
    '    output = [layer for layer in model if isinstance(layer, nn.Linear)][-1]',
    '    output.weight.zero_()  # the output layer',
  ].join('\n')), section(torch));
  assert.match(section(keras), /\n {8}block\.dense1\.kernel\.assign\(block\.dense1\.kernel \* \(L \*\* \(-1 \/ \(2 \* m - 2\)\)\)\) {2}# 0\.5773502692 for L = 3, m = 2/);
  assert.match(section(keras), /\noutput\.kernel\.assign\(keras\.ops\.zeros_like\(output\.kernel\)\) {2}# the output layer$/);
  // The gate is the echo's: trainable at 1 in every block.
  assert.equal(torch.match(/alpha=1\.0, trainable=True/g).length, 3);
  assert.equal(keras.match(/alpha=1\.0, trainable_gate=True/g).length, 3);
});

for (const [spec, alpha] of [['rezero', '0.0'], [{ name: 'skipinit', alpha: 0.25 }, '0.25']]) {
  const name = spec.name ?? spec;
  test(`${name} starts every gate trainable at ${alpha} and touches no tensor`, () => {
    const { torch, keras } = code(spec);
    for (const text of [torch, keras]) {
      assert.match(section(text), new RegExp(`^# Residual initialization "${name}": .+?\\d{4}\\.\\n# x \\+ α·f\\(x\\), α trainable`, 's'));
      assert.match(section(text), new RegExp(`# Every block's gate starts trainable at ${alpha.replace('.', '\\.')}:`));
      assert.doesNotMatch(section(text), /blocks =|zero_|zeros_like|mul_|assign/);
    }
    assert.equal(torch.match(new RegExp(`alpha=${alpha.replace('.', '\\.')}, trainable=True`, 'g')).length, 3);
    assert.equal(keras.match(new RegExp(`alpha=${alpha.replace('.', '\\.')}, trainable_gate=True`, 'g')).length, 3);
  });
}

test('gpt2 scales the last layer of each branch by 1/sqrt(branchesPerLayer·L), the param as a Python name', () => {
  for (const [spec, b] of [['gpt2', 2], [{ name: 'gpt2', branchesPerLayer: 1 }, 1]]) {
    const { torch, keras, snapshot } = code(spec);
    assert.equal(snapshot.factor, 1 / Math.sqrt(b * 3));
    for (const text of [torch, keras]) {
      assert.match(section(text), new RegExp(`\\nL = len\\(blocks\\) {2}# residual blocks\\nbranches_per_layer = ${b} {2}# residualInit\\.branchesPerLayer\\n`));
    }
    const comment = `# ${Number((1 / Math.sqrt(b * 3)).toPrecision(10))} for L = 3, as initscope computed it`;
    assert.ok(section(torch).includes(`        last.weight.mul_(1 / math.sqrt(branches_per_layer * L))  ${comment}`), section(torch));
    assert.ok(section(keras).includes(`    last.kernel.assign(last.kernel * (1 / math.sqrt(branches_per_layer * L)))  ${comment}`), section(keras));
    assert.match(torch, /^import math$/m, 'the PyTorch code imports math for the square root');
  }
});

test('the code of every scheme compiles as Python', () => {
  const dir = mkdtempSync(join(tmpdir(), 'initscope-export-'));
  try {
    for (const { name } of schema.residualInits) {
      const { torch, keras } = code(name === 'none' ? undefined : name);
      for (const [framework, text] of [['torch', torch], ['keras', keras]]) {
        const file = join(dir, `${name}-${framework}.py`);
        writeFileSync(file, text);
        execFileSync('python3', ['-m', 'py_compile', file]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
