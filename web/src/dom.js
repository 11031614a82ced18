// Small DOM builders the panels share. Text always goes in as textContent, never markup.

/** A button that calls onClick; testid names it for the e2e tests. */
export function button(testid, text, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.dataset.testid = testid;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * A modal dialog's frame: the <dialog> named by its <h2> title, and the intro paragraph.
 * The caller appends title, intro and its own content.
 */
export function dialogFrame(name, titleText, introText) {
  const dialog = document.createElement('dialog');
  dialog.className = 'embed-dialog';
  dialog.dataset.testid = `${name}-dialog`;
  dialog.setAttribute('aria-labelledby', `${name}-title`);
  const title = document.createElement('h2');
  title.id = `${name}-title`;
  title.textContent = titleText;
  const intro = document.createElement('p');
  intro.className = 'popover-note';
  intro.textContent = introText;
  return { dialog, title, intro };
}

/** A popover panel (hidden until opened), a dialog named by `label`. */
export function popoverPanel(name, label) {
  const panel = document.createElement('div');
  panel.className = `popover ${name}-panel`;
  panel.dataset.testid = `${name}-panel`;
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', label);
  return panel;
}

/** A table's scroll box for narrow screens: focusable and named, so the keyboard can scroll it too. */
export function scrollRegion(label, className = 'table-scroll') {
  const wrap = document.createElement('div');
  wrap.className = className;
  wrap.tabIndex = 0;
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', label);
  return wrap;
}
