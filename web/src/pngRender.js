// A card as a PNG (loaded with the first PNG button pressed): its canvases where they are on screen, and its text (title, legend,
// readouts, axis labels drawn by uPlot are already in the canvases) drawn with the same
// font and colour, on white, at the screen's pixel ratio. Buttons and tooltips are left out.

const SKIP = '.card-tools, .chart-tip, .segmented, button, select, input, details:not([open]) > :not(summary), [hidden]';

/** Renders `element` into a canvas the size it has on screen. */
export function renderElement(element, { scale = window.devicePixelRatio || 1, padding = 12 } = {}) {
  const box = element.getBoundingClientRect();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil((box.width + 2 * padding) * scale);
  canvas.height = Math.ceil((box.height + 2 * padding) * scale);
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const ox = padding - box.left;
  const oy = padding - box.top;
  const visible = (el) => el.getClientRects().length > 0 && !el.closest(SKIP);

  // Backgrounds and borders of legend markers (uPlot draws them as coloured boxes).
  for (const el of element.querySelectorAll('.u-marker')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    ctx.fillStyle = style.backgroundColor;
    ctx.fillRect(r.left + ox, r.top + oy, r.width, r.height);
    ctx.strokeStyle = style.borderTopColor;
    ctx.lineWidth = parseFloat(style.borderTopWidth) || 1;
    ctx.strokeRect(r.left + ox, r.top + oy, r.width, r.height);
  }
  for (const el of element.querySelectorAll('canvas')) {
    if (!visible(el) || el.width === 0 || el.height === 0) continue;
    const r = el.getBoundingClientRect();
    ctx.drawImage(el, r.left + ox, r.top + oy, r.width, r.height);
  }
  // Text: every text node, line by line where the browser broke it.
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent.trim() || !visible(parent)) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    ctx.fillStyle = style.color;
    ctx.textBaseline = 'alphabetic';
    drawTextNode(ctx, node, range, ox, oy);
  }
  return canvas;
}

// Splits a text node into the lines the browser laid out (one client rect per line) and
// draws each line at its rect.
function drawTextNode(ctx, node, range, ox, oy) {
  const text = node.textContent;
  const lines = [];
  let start = 0;
  let lineTop = null;
  for (let i = 0; i < text.length; i++) {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const r = range.getClientRects()[0];
    if (!r) continue;
    if (lineTop === null) lineTop = r.top;
    if (Math.abs(r.top - lineTop) > r.height / 2) {
      lines.push([start, i]);
      start = i;
      lineTop = r.top;
    }
  }
  lines.push([start, text.length]);
  for (const [a, b] of lines) {
    const piece = text.slice(a, b);
    if (!piece.trim()) continue;
    range.setStart(node, a);
    range.setEnd(node, b);
    const rects = range.getClientRects();
    const r = rects[0];
    if (!r) continue;
    const metrics = ctx.measureText('Mg');
    const ascent = metrics.fontBoundingBoxAscent ?? r.height * 0.8;
    const descent = metrics.fontBoundingBoxDescent ?? r.height * 0.2;
    const baseline = r.top + (r.height - (ascent + descent)) / 2 + ascent;
    ctx.fillText(piece.replace(/\s+$/, ''), r.left + ox, baseline + oy);
  }
}

/** The element as a PNG blob. */
export function elementToPng(element) {
  const canvas = renderElement(element);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob failed'))), 'image/png'));
}
