// A lesson's prose: plain text with three marks, and nothing else that becomes markup.
//
//   {name}          a number from the lesson's table (content.js `numbers`), shown as its
//                   text; every number of the prose comes from there, and each one is
//                   checked against the engine (tests/wasm/lessons.test.mjs)
//   [[key|words]]   a glossary term (glossary.js, terms.js); [[key]] shows the term's name
//   `code`          a framework's spelling, in <code>
//
// The test also reads prose through strayNumbers: any numeral written outside {…} fails.
import { termNodes } from '../terms.js';

const TOKENS = /(\{[A-Za-z][\w-]*\}|`[^`]*`)/;

/** The names of the {…} numbers in `text`. */
export function numberNames(text) {
  return [...String(text).matchAll(/\{([A-Za-z][\w-]*)\}/g)].map((m) => m[1]);
}

// Cardinal words a sentence could state a number with, beside numerals.
const NUMBER_WORDS = /\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|twice|thrice|double|triple|tenfold|hundredfold)\b/gi;

/**
 * The numbers written in `text` outside the {…} placeholders and outside glossary keys:
 * numerals (ASCII digits) and cardinal words. Sub- and superscript digits are notation
 * (χ₁, σ²), not numbers.
 */
export function strayNumbers(text) {
  const bare = String(text).replace(/\{[A-Za-z][\w-]*\}/g, ' ').replace(/\[\[([^\]|]+)(\|[^\]]*)?\]\]/g, (_, key, words) => ` ${words ?? ''} `);
  return [...bare.matchAll(/[0-9]+(?:[.,][0-9]+)*/g), ...bare.matchAll(NUMBER_WORDS)].map((m) => m[0]);
}

/** `text` as DOM nodes: its numbers from `numbers` ({ name: { text } }), terms, code. */
export function proseNodes(text, numbers) {
  const nodes = [];
  for (const part of String(text).split(TOKENS)) {
    if (!part) continue;
    if (part.startsWith('{') && part.endsWith('}')) {
      const row = numbers[part.slice(1, -1)];
      const span = document.createElement('span');
      span.className = 'lesson-number';
      span.dataset.number = part.slice(1, -1);
      span.textContent = row ? row.text : part;
      nodes.push(span);
    } else if (part.startsWith('`') && part.endsWith('`') && part.length > 1) {
      const code = document.createElement('code');
      code.textContent = part.slice(1, -1);
      nodes.push(code);
    } else {
      nodes.push(...termNodes(part));
    }
  }
  return nodes;
}
