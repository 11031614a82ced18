// A small TeX → MathML renderer for the formula panel (formula.js): exactly the TeX that
// its templates write, drawn by the browser's own MathML Core support (no fonts, no
// library). Elements are built with createElementNS and text goes in as text, never as
// markup. Anything outside the subset (an unknown command, an unbalanced brace) shows the
// whole line as TeX source in an <merror>, with the reason in its title, so a template
// mistake is visible rather than silently dropped.
//
// The subset: letters (<mi>), numbers (<mn>), operators and fences (<mo>), {groups},
// x^{…} and x_{…}, \sqrt{…}, \frac{…}{…}, \text{…}, \mathrm{…}, \mathcal{X}, the symbols
// in SYMBOLS and the spaces in SPACES.

const MATHML = 'http://www.w3.org/1998/Math/MathML';

// Symbol commands: [element, character].
const SYMBOLS = {
  sigma: ['mi', 'σ'], mu: ['mi', 'μ'], alpha: ['mi', 'α'], top: ['mi', '⊤'], le: ['mo', '≤'],
  sim: ['mo', '∼'], pm: ['mo', '±'], cdot: ['mo', '⋅'], times: ['mo', '×'],
  leftarrow: ['mo', '←'], lceil: ['mo', '⌈'], rceil: ['mo', '⌉'],
};

// Spacing commands (and "\ "), as widths in em (TeX's mu / 18).
const SPACES = { ',': 0.1667, ':': 0.2222, ';': 0.2778, ' ': 0.3333, quad: 1, qquad: 2 };

// Characters that stand for themselves after a backslash (\_ \{ …).
const ESCAPES = new Set(['_', '{', '}', '%', '$', '#', '&', '^', '~', '\\']);

const OPERATORS = new Set(['+', '-', '−', '=', '<', '>', '/', ',', ';', ':', '!', '(', ')', '[', ']', '|', '–']);
const FENCES = new Set(['(', ')', '[', ']', '|', '⌈', '⌉']);
const CLOSINGS = new Set([')', ']', '|', '⌉']);
const SIGNS = new Set(['−', '+', '±']);

// \mathcal capitals: Unicode's mathematical script letters (a few live in the
// Letterlike Symbols block, not in the run starting at U+1D49C).
const SCRIPT_HOLES = { B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ' };
const script = (ch) => SCRIPT_HOLES[ch] ?? (/^[A-Z]$/.test(ch) ? String.fromCodePoint(0x1d49c + ch.charCodeAt(0) - 65) : ch);

class TexError extends Error {}

/** Reads one line of TeX into MathML elements of `doc`. */
class Reader {
  constructor(tex, doc) {
    this.tex = tex;
    this.pos = 0;
    this.doc = doc;
  }

  el(tag, children = [], attrs = {}) {
    const e = this.doc.createElementNS(MATHML, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    e.append(...children);
    return e;
  }

  token(tag, text) {
    const attrs = tag !== 'mo' ? {}
      : FENCES.has(text) ? { stretchy: 'false' }
      : text === '/' ? { lspace: '0', rspace: '0' }  // TeX spaces a/b as ordinary symbols
      : {};
    return this.el(tag, [this.doc.createTextNode(text)], attrs);
  }

  fail(message) {
    throw new TexError(`${message} at position ${this.pos}`);
  }

  peek() {
    return this.tex[this.pos];
  }

  skipSpaces() {
    while (/\s/.test(this.peek() ?? '')) this.pos += 1;
  }

  /** The command name after a backslash: letters, or one other character. */
  commandName() {
    const m = /^[A-Za-z]+/.exec(this.tex.slice(this.pos));
    const name = m ? m[0] : this.peek();
    if (name === undefined) this.fail('a lone backslash');
    this.pos += name.length;
    return name;
  }

  /** Atoms up to a closing brace (when `inGroup`) or the end. */
  list(inGroup) {
    const items = [];
    for (;;) {
      this.skipSpaces();
      const ch = this.peek();
      if (ch === undefined) {
        if (inGroup) this.fail('a missing }');
        return items;
      }
      if (ch === '}') {
        if (!inGroup) this.fail('an unmatched }');
        this.pos += 1;
        return items;
      }
      if (ch === '^' || ch === '_') {
        this.pos += 1;
        const base = items.pop() ?? this.el('mrow');
        items.push(this.el(ch === '^' ? 'msup' : 'msub', [base, this.argument()]));
        continue;
      }
      const item = this.atom();
      // A sign after an operator or an opening is unary, as in TeX: U(-L, L), = \pm 1.
      const before = items.at(-1);
      if (SIGNS.has(item.textContent) && item.localName === 'mo'
        && (!before || (before.localName === 'mo' && !CLOSINGS.has(before.textContent)))) {
        item.setAttribute('form', 'prefix');
      }
      items.push(item);
    }
  }

  /** A {group} as one element, or a single atom (x^2, Q^\top). */
  argument() {
    this.skipSpaces();
    if (this.peek() !== '{') {
      if (this.peek() === undefined) this.fail('a missing argument');
      return this.atom();
    }
    this.pos += 1;
    const items = this.list(true);
    return items.length === 1 ? items[0] : this.el('mrow', items);
  }

  /** The raw text of a {group}, for \text and friends: \x is the character x. */
  textArgument() {
    this.skipSpaces();
    if (this.peek() !== '{') this.fail('a missing {');
    this.pos += 1;
    let text = '';
    let depth = 0;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) this.fail('a missing }');
      this.pos += 1;
      if (ch === '\\') {
        const next = this.peek();
        if (!ESCAPES.has(next)) this.fail(`\\${next ?? ''} inside text`);
        text += next;
        this.pos += 1;
      } else if (ch === '{') {
        depth += 1;
      } else if (ch === '}') {
        if (depth === 0) return text;
        depth -= 1;
      } else {
        text += ch;
      }
    }
  }

  atom() {
    const ch = this.peek();
    if (ch === '{') return this.argument();
    if (ch === '\\') {
      this.pos += 1;
      return this.command(this.commandName());
    }
    const number = /^[0-9]+(?:\.[0-9]+)?|^\.[0-9]+/.exec(this.tex.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return this.token('mn', number[0]);
    }
    const char = String.fromCodePoint(this.tex.codePointAt(this.pos));
    this.pos += char.length;
    if (char === '-') return this.token('mo', '−');
    return this.token(OPERATORS.has(char) ? 'mo' : 'mi', char);
  }

  command(name) {
    if (name in SYMBOLS) return this.token(...SYMBOLS[name]);
    if (name in SPACES) return this.el('mspace', [], { width: `${SPACES[name]}em` });
    if (ESCAPES.has(name)) return this.token(OPERATORS.has(name) ? 'mo' : 'mi', name);
    switch (name) {
      case 'sqrt': return this.el('msqrt', [this.argument()]);
      case 'frac': return this.el('mfrac', [this.argument(), this.argument()]);
      // Token text collapses its outer spaces; TeX's text keeps them.
      case 'text': return this.token('mtext', this.textArgument().replace(/ /g, '\u00a0'));
      case 'mathrm': return this.el('mi', [this.doc.createTextNode(this.textArgument())], { mathvariant: 'normal' });
      case 'mathcal': return this.token('mi', [...this.textArgument()].map(script).join(''));
      default: return this.fail(`unknown command \\${name}`);
    }
  }
}

/**
 * One line of TeX as a display <math> element of `doc`, the TeX kept as its annotation
 * (what copy and screen readers can fall back on). Never throws: TeX outside the subset
 * comes back as an <merror> holding the source, its title saying what was wrong.
 */
export function texToMathML(tex, doc = document) {
  const reader = new Reader(tex, doc);
  let body;
  try {
    body = reader.el('mrow', reader.list(false));
  } catch (err) {
    if (!(err instanceof TexError)) throw err;
    body = reader.el('merror', [reader.token('mtext', tex)], { title: `TeX: ${err.message}` });
  }
  const annotation = reader.el('annotation', [doc.createTextNode(tex)], { encoding: 'application/x-tex' });
  return reader.el('math', [reader.el('semantics', [body, annotation])], { display: 'block' });
}
