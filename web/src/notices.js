// Notices about the URL: each setting the page did not use, with the key, the value given,
// what is allowed and what was used instead. Everything from the URL is written as text
// (textContent), never parsed as HTML.

// A value is shown to 60 characters at most (a link may carry any length).
const shown = (text) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

export class Notices {
  /** @param {HTMLElement} root  an element with role="status" */
  constructor(root) {
    this.root = root;
    this.items = [];
    this.root.hidden = true;
  }

  /** Adds notices { key, value, allowed | reason (the engine's message), fallback }. */
  add(list) {
    for (const n of list) {
      if (this.items.some((m) => m.key === n.key && m.value === n.value)) continue;
      this.items.push(n);
    }
    this.#render();
  }

  clear() {
    this.items = [];
    this.#render();
  }

  #render() {
    this.root.hidden = this.items.length === 0;
    if (!this.items.length) { this.root.replaceChildren(); return; }
    const head = document.createElement('p');
    head.className = 'notice-head';
    const title = document.createElement('strong');
    title.textContent = this.items.length === 1 ? 'A setting in the link was not used' : `${this.items.length} settings in the link were not used`;
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
      code.textContent = `${n.key}=${shown(String(n.value))}`;
      const fallback = n.fallback === 'not set' ? 'It is left out.' : `Using ${n.fallback} instead.`;
      const why = n.reason ? `the engine refused it: ${n.reason}` : `allowed: ${n.allowed}`;
      li.append(code, ` — ${why}. ${fallback}`);
      list.append(li);
    }
    this.root.replaceChildren(head, list);
  }
}
