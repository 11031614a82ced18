// Numbers as the page writes them, for charts, sentences and verdicts alike (no DOM here,
// so that the wasm tier's tests format as the page does).

/** Numbers as a person reads them: 3 significant digits, exponent when tiny or huge. */
export function fmt(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(digits - 1).replace('e', 'e');
  return Number(value.toPrecision(digits)).toString();
}

/** Percent with one decimal below 10%. */
export function pct(fraction) {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  const p = fraction * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${p < 10 && p > 0 ? p.toFixed(1) : p.toFixed(0)}%`;
}
