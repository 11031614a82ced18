// Notices about the URL: each setting the page did not use, with the key, the value given,
// what is allowed and what was used instead. Everything from the URL is written as text
// (textContent), never parsed as HTML, and a value is shown to 60 characters at most (a
// link may carry any length; excerpt.js cuts it between characters).
import { excerpt } from './excerpt.js';

// Two notices are the same when they name the same key and value.
const identity = (n) => `${n.key}\n${n.label ?? n.value}`;

export class Notices {
  /** @param {HTMLElement} root  an element with role="status" */
  constructor(root) {
    this.root = root;
    this.items = [];
    this.seen = new Set();
    this.root.hidden = true;
  }

  /**
   * Adds notices { key, value | label, allowed | problem | reason, fallback, count? }:
   * label replaces "key=value" (a notice about several keys, `count` of them); allowed is
   * what the key allows, problem the schema's sentence about the part that is wrong, reason
   * the engine's message.
   */
  add(list) {
    if (!list.length) return;
    for (const n of list) {
      if (this.seen.has(identity(n))) continue;
      this.seen.add(identity(n));
      this.items.push(n);
    }
    this.#render();
  }

  clear() {
    this.items = [];
    this.seen = new Set();
    this.#render();
  }

  #render() {
    this.root.hidden = this.items.length === 0;
    if (!this.items.length) { this.root.replaceChildren(); return; }
    const head = document.createElement('p');
    head.className = 'notice-head';
    const title = document.createElement('strong');
    const count = this.items.reduce((sum, n) => sum + (n.count ?? 1), 0);
    title.textContent = count === 1 ? 'A setting in the link was not used' : `${count.toLocaleString('en-US')} settings in the link were not used`;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'notice-close';
    close.dataset.testid = 'notice-close';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '×';
    close.addEventListener('click', () => this.clear());
    head.append(title, close);
    const list = document.createElement('ul');
    for (const n of this.items) {
      const li = document.createElement('li');
      li.dataset.testid = 'notice';
      li.dataset.key = n.key;
      const code = document.createElement('code');
      code.textContent = n.label ?? `${n.key}=${excerpt(String(n.value))}`;
      const fallback = n.fallback !== 'not set' ? `Using ${excerpt(String(n.fallback))} instead.` : (n.count ?? 1) > 1 ? 'They are left out.' : 'It is left out.';
      const why = n.reason ? `the engine refused it: ${n.reason}` : n.problem ? n.problem.replace(/\.$/, '') : `allowed: ${n.allowed}`;
      li.append(code, ` — ${why}. ${fallback}`);
      list.append(li);
    }
    this.root.replaceChildren(head, list);
  }
}
