// Glossary terms in the page: text marked [[key]] or [[key|words]] (glossary.js) becomes a
// keyboard-focusable <span class="term" data-term="key"> that shows the term's line on
// hover and on focus, in one shared tooltip (role="tooltip", named by aria-describedby);
// Escape hides it, leaving the focus where it is. Only the elements the page asks for
// are converted (card descriptions, lesson text), never text that came from a URL. Its
// style is terms.css (imported by main.js, so that this module also loads in Node).
import { glossaryEntry, termsIn } from './glossary.js';

const MARK = /\[\[([^\]|]+)(?:\|([^\]]*))?\]\]/g;
const TIP_ID = 'term-tip';
let tip = null;
let shownFor = null;

function tooltip() {
  if (tip?.isConnected) return tip;
  tip = document.createElement('div');
  tip.id = TIP_ID;
  tip.className = 'term-tip';
  tip.setAttribute('role', 'tooltip');
  tip.dataset.testid = 'term-tip';
  tip.hidden = true;
  document.body.append(tip);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !tip.hidden) hide();
  });
  return tip;
}

function show(term) {
  const entry = glossaryEntry(term.dataset.term);
  if (!entry) return;
  const box = tooltip();
  box.replaceChildren();
  const name = document.createElement('strong');
  name.textContent = entry.term;
  box.append(name, ` ${entry.text}`);
  box.hidden = false;
  shownFor = term;
  // Below the term, kept inside the window (fixed: the page may scroll under it).
  const r = term.getBoundingClientRect();
  const width = Math.min(320, window.innerWidth - 16);
  box.style.maxWidth = `${width}px`;
  const left = Math.max(8, Math.min(r.left, window.innerWidth - box.offsetWidth - 8));
  const below = r.bottom + 6;
  const top = below + box.offsetHeight > window.innerHeight && r.top - box.offsetHeight - 6 > 0 ? r.top - box.offsetHeight - 6 : below;
  box.style.left = `${left}px`;
  box.style.top = `${top}px`;
}

function hide(term = shownFor) {
  if (!tip || term !== shownFor) return;
  tip.hidden = true;
  shownFor = null;
}

/** Makes `el` (with data-term) a term: focusable, described by the tooltip, shown on hover and focus. */
export function enhanceTerm(el) {
  if (el.dataset.termReady) return el;
  el.dataset.termReady = 'true';
  el.classList.add('term');
  el.tabIndex = 0;
  el.setAttribute('aria-describedby', TIP_ID);
  tooltip();
  el.addEventListener('mouseenter', () => show(el));
  el.addEventListener('mouseleave', () => { if (document.activeElement !== el) hide(el); });
  el.addEventListener('focus', () => show(el));
  el.addEventListener('blur', () => hide(el));
  return el;
}

/** A term element for `key` showing `words` (default: the glossary's own name of it). */
export function termElement(key, words = null) {
  const entry = glossaryEntry(key);
  const span = document.createElement('span');
  span.textContent = words ?? entry?.term ?? key;
  if (!entry) return span;  // an unknown key shows as plain words (the tests forbid it)
  span.dataset.term = key;
  return enhanceTerm(span);
}

/** `text` with its [[…]] marks as nodes: strings and term elements. */
export function termNodes(text) {
  const nodes = [];
  let at = 0;
  for (const m of String(text).matchAll(MARK)) {
    if (m.index > at) nodes.push(text.slice(at, m.index));
    nodes.push(termElement(m[1], m[2] ?? null));
    at = m.index + m[0].length;
  }
  if (at < text.length) nodes.push(text.slice(at));
  return nodes;
}

/** Replaces the marks in `el`'s text (an element holding text only) with terms. */
export function markTerms(el) {
  if (!termsIn(el.textContent).length) return;
  el.replaceChildren(...termNodes(el.textContent));
}

/**
 * Converts the marks in every element under `root` that matches `selector`, now and
 * whenever such an element is added (the cards are rebuilt with each new layout).
 * @returns {() => void} stops watching
 */
export function watchTerms(root, selector) {
  const convert = (node) => {
    if (node.nodeType !== 1) return;
    if (node.matches(selector)) markTerms(node);
    else if (node.firstElementChild) node.querySelectorAll(selector).forEach(markTerms);
  };
  convert(root);
  const observer = new MutationObserver((records) => {
    for (const r of records) r.addedNodes.forEach(convert);
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
