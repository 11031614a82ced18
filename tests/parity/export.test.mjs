// The parity tier for the code export's residual initializations (web/src/codegen.js): the
// PyTorch code the Export dialog shows is run by Debian's PyTorch up to its training loop,
// and its blocks must start as the engine's do. Its draws are its own (torch's generator),
// so what must agree is what the scheme sets: which tensors are zero, each gate's value and
// whether it trains, and the spread of each scaled tensor (its std against the engine's,
// within what 4,096 draws allow).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadInitscope } from '../../wasm/initscope.mjs';
import { pytorchCode } from '../../web/src/codegen.js';

const PYTHON = process.env.PARITY_PYTHON ?? '/usr/bin/python3';
const lab = await loadInitscope();
const schema = lab.schema();
const dir = mkdtempSync(join(tmpdir(), 'initscope-export-parity-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// Wide blocks (64 units: 4,096 weights per tensor, a std known to about 1.1%), branch 2 and 1.
const block = { kind: 'residual', activation: 'relu' };
const config = (residualInit) => ({
  seed: 3, data: { name: 'circles', train: 64, test: 0 }, init: 'he_normal',
  layers: [{ units: 64, activation: 'relu' }, block, block, block, { ...block, branch: 1 }, { units: 1, activation: 'sigmoid' }],
  residualInit,
});

// After the code's init: per layer of the engine, its tensors in the engine's order (W1, b1,
// [W2, b2], [alpha]) as [std, all zero]; a block's gate as [value, trains].
const PROBE = `
import json
def describe(t):
    t = t.detach().double()
    return [float(t.std()) if t.numel() > 1 else float(t), bool((t == 0).all())]
out = []
for layer in model:
    if isinstance(layer, Residual):
        ts = [layer.lin1.weight, layer.lin1.bias] + ([layer.lin2.weight, layer.lin2.bias] if layer.lin2 is not None else [])
        gate = [float(layer.alpha), bool(isinstance(layer.alpha, nn.Parameter))]
        out.append({"tensors": [describe(t) for t in ts], "gate": gate})
    elif isinstance(layer, nn.Linear):
        out.append({"tensors": [describe(layer.weight), describe(layer.bias)]})
print("LAYERS", json.dumps(out))
`;

const std = (a) => {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
};
// Per layer: its tensors as [std, all zero, size].
const engineLayers = (run) => run.weights().map((l) => ({
  tensors: [l.W, l.b, ...(l.W2 ? [l.W2, l.b2] : [])].map((a) => [std(Array.from(a)), Array.from(a).every((v) => v === 0), a.length]),
}));

for (const residualInit of ['zero-last', 'fixup', { name: 'skipinit', alpha: 0.25 }, 'rezero', 'gpt2', { name: 'gpt2', branchesPerLayer: 1 }]) {
  const label = typeof residualInit === 'string' ? residualInit : JSON.stringify(residualInit);
  test(`the exported PyTorch code starts the blocks as the engine does: ${label}`, () => {
    const run = lab.createRun(config(residualInit));
    const input = {
      config: run.config, snapshot: run.snapshot(), schema, dataset: run.dataset(),
      context: { title: 't', version: lab.version, link: 'http://x/', dataFile: join(dir, 'data.csv'), step: 0 },
    };
    const code = pytorchCode(input);
    const engine = engineLayers(run);
    const gates = run.config.layers.map((l) => (l.kind === 'residual' ? [l.alpha, l.gate === 'trainable'] : null));
    run.dispose();
    // Rows the code can read (x1, x2, label, split): only the model and its init run.
    writeFileSync(input.context.dataFile, 'x1,x2,label,split\n0.1,0.2,0,0\n-0.3,0.4,1,0\n');
    const file = join(dir, `${label.replace(/\W+/g, '_')}.py`);
    writeFileSync(file, `${code.slice(0, code.indexOf('loss_fn = '))}${PROBE}`);
    const output = execFileSync(PYTHON, [file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const torch = JSON.parse(/^LAYERS (.*)$/m.exec(output)[1]);
    assert.equal(torch.length, engine.length);
    torch.forEach((layer, l) => {
      layer.tensors.forEach(([s, zero], k) => {
        const [es, ezero, size] = engine[l].tensors[k];
        assert.equal(zero, ezero, `layer ${l} tensor ${k}: zero in both or in neither`);
        // The blocks' 64x64 weights: the same law times the same factor (the first and the
        // output layer hold too few weights for a std to say much). Biases start at 0 here.
        if (!ezero && size >= 4096) assert.ok(Math.abs(s / es - 1) < 0.06, `layer ${l} tensor ${k}: std ${s} against the engine's ${es}`);
      });
      if (gates[l]) assert.deepEqual(layer.gate, gates[l], `layer ${l}: the gate's value and whether it trains`);
    });
  });
}
