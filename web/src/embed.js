// Embed mode (?embed=1): the compact layout for an iframe in a course page (two charts a
// row from 700 px, Import left out), without the parts named in hide=…, telling the parent
// page its height so that the iframe fits (message { type: 'initscope:height', height }),
// at most maxHeight=… pixels (beyond it the lab scrolls inside its iframe). The snippet a
// course author pastes is embedSnippet.js's, loaded with the "Embed" dialog.

/** The parts `hide` can name, and what they are. */
export const PARTS = [
  { name: 'controls', label: 'Settings', selector: '#settings' },
  { name: 'toolbar', label: 'Run buttons', selector: '#toolbar' },
  { name: 'status', label: 'Step counter', selector: '#status' },
  { name: 'verdict', label: 'Verdict line', selector: '#verdict' },
  { name: 'preset', label: 'Experiments menu and preset card', selector: '#preset, #preset-menu' },
  { name: 'share', label: 'Copy link and Export', selector: '#share' },
  { name: 'loss', label: 'Loss and accuracy', selector: '[data-testid="view-loss"]' },
  { name: 'data', label: 'Decision boundary / predictions', selector: '[data-testid="view-data"]' },
  { name: 'signal', label: 'Signal propagation', selector: '[data-testid="view-signal"]' },
  { name: 'jacobian', label: 'Jacobian spectrum', selector: '[data-testid="view-jacobian"]' },
  { name: 'health', label: 'Unit health', selector: '[data-testid="view-health"]' },
  { name: 'activations', label: 'Activations per layer', selector: '[data-testid="view-activations"]' },
  { name: 'gradients', label: 'Gradients per layer', selector: '[data-testid="view-gradients"]' },
  { name: 'shatter', label: 'Gradients: shattering', selector: '[data-testid="view-shatter"]' },
  { name: 'trace', label: 'Activation std over training', selector: '[data-testid="view-trace"]' },
  { name: 'moved', label: 'Weights moved since initialization', selector: '[data-testid="view-moved"]' },
  { name: 'summary', label: 'Model summary', selector: '[data-testid="view-summary"]' },
  { name: 'coords', label: 'Coordinate check', selector: '#coord-check' },
];

export const HEIGHT_MESSAGE = 'initscope:height';

/**
 * When the browser refused to start the lab's worker because the page has no origin of
 * its own (an iframe sandboxed without allow-same-origin: a worker's file can then never
 * be of the page's origin), shows the page's message that says what the embedding page
 * must allow (#blocked in index.html) instead of the lab.
 * @returns {boolean} whether that was why `error` happened
 */
export function explainBlockedFrame(error) {
  if (self.origin !== 'null' || error?.name !== 'SecurityError') return false;
  document.body.dataset.ready = 'blocked';
  for (const id of ['status', 'verdict']) document.getElementById(id).textContent = 'initscope cannot start in this frame.';
  if (window.parent !== window) postHeight();
  return true;
}

let hideSheet = null;
let maxHeight = 0;       // the tallest height posted (0: no limit)
let sendHeight = null;   // posts the height again (once postHeight has started)

/**
 * Applies the layout: embed mode on <body>, the hidden parts hidden (a style rule, so
 * that parts made later, such as the cards, are hidden too), the tallest height the
 * iframe is asked for (`maxHeight` px; 0 or absent: as tall as the content).
 * @returns {string[]} the names in `hide` that are not parts (for a notice)
 */
export function applyLayout({ embed = false, hide = [], maxHeight: most = 0 }) {
  document.body.dataset.embed = String(Boolean(embed));
  const unknown = hide.filter((h) => !PARTS.some((p) => p.name === h));
  // A constructed stylesheet, not a <style> element: the page's CSP (style-src 'self')
  // refuses inline style elements but not the CSSOM.
  hideSheet ??= new CSSStyleSheet();
  hideSheet.replaceSync(PARTS.filter((p) => hide.includes(p.name)).map((p) => `${p.selector} { display: none !important; }`).join('\n'));
  if (!document.adoptedStyleSheets.includes(hideSheet)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, hideSheet];
  document.body.dataset.hide = hide.filter((h) => !unknown.includes(h)).join(',');
  maxHeight = embed && most > 0 ? most : 0;
  if (maxHeight) document.body.dataset.maxHeight = String(maxHeight);
  else delete document.body.dataset.maxHeight;
  sendHeight?.();
  return unknown;
}

/** In an iframe: posts the page's height (at most the layout's maxHeight) to the parent whenever it changes. */
export function postHeight() {
  if (window.parent === window) return;
  let last = -1;
  sendHeight = () => {
    const content = Math.ceil(document.body.getBoundingClientRect().height);
    const height = maxHeight ? Math.min(content, maxHeight) : content;
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');
  };
  new ResizeObserver(sendHeight).observe(document.body);
  sendHeight();
}

/** The query of an embed URL: embed=1, the parts hidden, the tallest height (if any). */
export function embedQuery({ hide = [], maxHeight: most = 0 }) {
  return ['embed=1', ...(hide.length ? [`hide=${hide.join(',')}`] : []), ...(most ? [`maxHeight=${most}`] : [])].join('&');
}
