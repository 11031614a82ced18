// View 8: the model summary, as Keras's model.summary() prints it: each layer's output
// shape, parameter count and initializers, then the totals. Read from the snapshot's
// layers (fans, activation, initializer names, the initial weights' exact std).
import { scrollRegion } from './dom.js';
import { fmt } from './charts/base.js';

const HEAD = ['Layer (type)', 'Output shape', 'Param #', 'Activation', 'Init W (σ) / b', 'Distinct units'];

export class ModelSummary {
  /** `run`: the run's label in a comparison ('B'), so each table's region has its own name. */
  constructor(container, run = '', layerKinds = []) {
    this.layerKinds = layerKinds;
    this.table = document.createElement('table');
    this.table.className = 'summary';
    this.table.dataset.testid = 'model-summary';
    const head = this.table.createTHead().insertRow();
    for (const h of HEAD) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.append(th);
    }
    this.body = this.table.createTBody();
    this.foot = this.table.createTFoot();
    const wrap = scrollRegion(run ? `Model summary table, run ${run}` : 'Model summary table');
    wrap.append(this.table);
    container.append(wrap);
  }

  /** `snapshot`: the run's snapshot (layers); `inputDim`: features of the data set. */
  update(snapshot, inputDim) {
    const rows = [['input (InputLayer)', `(None, ${inputDim})`, 0, '', '', '']];
    let total = 0;
    // Keras counts a BatchNormalization's moving mean and variance as non-trainable parameters.
    let frozen = 0;
    // Keras numbers layers per class: dense, dense_1, …, layer_normalization, ….
    const seen = new Map();
    snapshot.layers.forEach((l, i) => {
      // A dense layer's snapshot carries no kind and no count (its JSON predates kinds).
      const kind = l.kind ?? 'dense';
      const row = this.layerKinds.find((k) => k.name === kind);
      const running = l.running ?? 0;
      const params = (l.params ?? l.fanIn * l.fanOut + l.fanOut) + running;
      total += params;
      frozen += running;
      // A kind Keras has no class for (a residual block) is the class the code export writes.
      const cls = row?.keras || kind[0].toUpperCase() + kind.slice(1);
      const base = cls.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase();
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      const name = `${n ? `${base}_${n}` : base} (${cls}${i === snapshot.layers.length - 1 ? ', output' : ''})`;
      const init = kind === 'dense' ? `${l.init} (${fmt(l.initStd)}) / ${l.biasInit}` : `${l.init} / ${l.biasInit}`;
      rows.push([name, `(None, ${l.fanOut})`, params, l.kind ? '' : l.activation, init,
        kind === 'dense' ? `${l.distinctUnits} of ${l.fanOut}` : '']);
    });
    // Rebuild only when something shown changed (it changes rarely while training).
    const signature = JSON.stringify(rows);
    if (signature === this.signature) return;
    this.signature = signature;
    this.body.replaceChildren();
    for (const cells of rows) {
      const row = this.body.insertRow();
      cells.forEach((v, k) => {
        const cell = row.insertCell();
        cell.textContent = typeof v === 'number' ? v.toLocaleString('en-US') : v;
        if (k === 2) cell.className = 'num';
      });
    }
    this.foot.replaceChildren();
    for (const [label, value, testid] of [['Total params', total, 'total-params'],
      ['Trainable params', total - frozen, 'trainable-params'], ['Non-trainable params', frozen, 'non-trainable-params']]) {
      const row = this.foot.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.colSpan = 2;
      th.textContent = label;
      // The total spans the rest of the row, so that its width does not widen the Param #
      // column (in a narrow card that pushed every count out of sight).
      const td = row.insertCell();
      td.colSpan = HEAD.length - 2;
      td.dataset.testid = testid;
      td.dataset.value = String(value);
      td.textContent = `${value.toLocaleString('en-US')} (${formatBytes(value * 4)})`;
      row.prepend(th);
    }
  }
}

// float32 parameters, as Keras counts them.
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
