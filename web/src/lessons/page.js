// A lesson page (loaded only for `?lesson=…`, see route.js): the lesson's prose, and for
// each lab a "predict, then run" question, the lab itself in its compact embed (an
// iframe of this same page with the lab's URL keys), "Open in the lab ↗", and the
// lesson's checks evaluated on the learner's own runs. The embedded lab reports its runs
// (report.js: init and latest settled checkpoints); once every run has reached the lab's
// steps (or diverged) and settled, the answer is revealed and the checks are evaluated
// with the presets' own checkExpectation. Nothing here runs the engine.
//
//   ?lesson=contents         the table of contents
//   ?lesson=<id>             a lesson; &embed=1: for an iframe (no page header, posts its height)
//   ?lesson=<id>&lab=<lab>   that lab alone (its question, the lab, its checks)
import './lessons.css';
import { LESSONS, lessonById } from './content.js';
import { proseNodes } from './text.js';
import { RUNS_MESSAGE } from './report.js';
import { checkExpectation } from '../../../wasm/presetChecks.mjs';
import { HEIGHT_MESSAGE, postHeight } from '../embed.js';

const CONTENTS = 'contents';
// Parts of the lab a lesson never needs in its embed: its own link to the lab replaces the
// share links, and the experiments menu would lead away from the lesson.
const ALWAYS_HIDDEN = ['share', 'preset'];

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node && k !== 'role') node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

/** This page's address with `query` (the same file: works served and from file://). */
const pageUrl = (query, hash = '') => `${location.pathname}${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`;
const lessonUrl = (id, extra = '') => pageUrl(`lesson=${encodeURIComponent(id)}${extra}`);

/** The full lab with a lab's settings (its hash keys; `runs=2` and `b.` keys included). */
export const labLink = (entry) => pageUrl('', entry.keys);

/** The lab's compact embed: embed=1, the parts it does not need hidden, its settings in the hash. */
export function labSrc(entry) {
  const hide = [...ALWAYS_HIDDEN, ...entry.hide];
  return pageUrl(`embed=1&hide=${hide.join(',')}&until=${entry.steps}`, entry.keys);
}

/** A number for a claim's {ref}: as short as it reads. */
function shortNumber(v) {
  if (Array.isArray(v)) return `[${v.map(shortNumber).join(', ')}]`;
  if (typeof v !== 'number') return String(v);
  return Math.abs(v) > 0 && Math.abs(v) < 1e-3 ? v.toExponential().replace(/\.0+e/, 'e') : String(Number(v.toPrecision(4)));
}

const OPS = ['equals', 'atLeast', 'atMost', 'below', 'above', 'between', 'near', 'isNull'];

/** A check's claim as nodes, its {ref} and {times} from the check itself. */
function claimNodes(check, numbers) {
  const op = OPS.find((o) => o in check);
  const own = { ...numbers };
  if (op && typeof check[op] !== 'string') own.ref = { text: shortNumber(check[op]) };
  if (check.times !== undefined) own.times = { text: shortNumber(check.times) };
  return proseNodes(check.claim, own);
}

export function openLessonPage(id) {
  const params = new URLSearchParams(location.search);
  const embed = params.get('embed') === '1';
  const onlyLab = params.get('lab');
  document.body.dataset.page = 'lesson';
  const version = document.getElementById('version');
  if (version) version.textContent = 'lessons';
  document.body.dataset.embed = String(embed);
  const root = el('main', { id: 'lesson', className: 'lesson', tabIndex: -1, dataset: { testid: 'lesson' } });
  document.querySelector('.app')?.after(root);
  const contents = id === CONTENTS || id === '';
  const lesson = contents ? null : lessonById(id);
  if (!contents && !lesson) {
    root.append(el('p', { className: 'lesson-notice', role: 'status', dataset: { testid: 'lesson-notice' } },
      `There is no lesson "${id.slice(0, 60)}"; the lessons are ${LESSONS.map((l) => l.id).join(', ')}. Here is the table of contents.`));
  }
  if (lesson) renderLesson(root, lesson, { onlyLab, embed });
  else renderContents(root);
  if (embed) postHeight();
  // The labs post their heights: each iframe as tall as its lab.
  window.addEventListener('message', (e) => {
    if (e.data?.type !== HEIGHT_MESSAGE) return;
    for (const frame of root.querySelectorAll('iframe')) {
      if (frame.contentWindow === e.source) frame.style.height = `${Math.ceil(e.data.height)}px`;
    }
  });
  document.body.dataset.ready = 'true';
}

function renderContents(root) {
  document.title = 'Lessons · initscope';
  const list = el('ol', { className: 'lesson-list', dataset: { testid: 'lesson-contents' } });
  for (const lesson of LESSONS) {
    list.append(el('li', {},
      el('a', { href: lessonUrl(lesson.id), dataset: { testid: `lesson-link-${lesson.id}` } }, ...proseNodes(lesson.title, lesson.numbers)),
      el('p', {}, ...proseNodes(lesson.summary, lesson.numbers))));
  }
  root.append(
    el('h2', {}, 'Lessons'),
    el('p', { className: 'lesson-intro' }, 'Seven short lessons on initializing a neural network, each with live labs: predict what will happen, run the lab, and check your prediction on your own run.'),
    list,
    el('p', {}, el('a', { href: pageUrl('') }, 'Open the lab ↗')),
  );
}

function lessonNav(lesson, { bottom = false } = {}) {
  const at = LESSONS.indexOf(lesson);
  const prev = LESSONS[at - 1];
  const next = LESSONS[at + 1];
  const nav = el('nav', { className: 'lesson-nav', 'aria-label': bottom ? 'Next and previous lessons' : 'Lessons' });
  nav.append(el('a', { href: lessonUrl(CONTENTS) }, 'All lessons'), el('span', {}, `Lesson ${at + 1} of ${LESSONS.length}`));
  // Titles only at the end of the lesson; at its top the arrows alone.
  const title = (l) => (bottom ? proseNodes(l.title, l.numbers) : [l === prev ? 'Previous' : 'Next']);
  if (prev) nav.append(el('a', { href: lessonUrl(prev.id), rel: 'prev' }, '← ', ...title(prev)));
  if (next) nav.append(el('a', { href: lessonUrl(next.id), rel: 'next', dataset: { testid: 'lesson-next' } }, ...title(next), ' →'));
  return nav;
}

function renderLesson(root, lesson, { onlyLab, embed }) {
  const title = el('h2', { dataset: { testid: 'lesson-title' } }, ...proseNodes(lesson.title, lesson.numbers));
  document.title = `${title.textContent} · initscope lessons`;
  root.dataset.lesson = lesson.id;
  const entry = onlyLab ? lesson.labs.find((l) => l.id === onlyLab) : null;
  if (onlyLab && !entry) {
    root.append(el('p', { className: 'lesson-notice', role: 'status', dataset: { testid: 'lesson-notice' } },
      `This lesson has no lab "${onlyLab.slice(0, 60)}"; its labs are ${lesson.labs.map((l) => l.id).join(', ')}. Here is the whole lesson.`));
  }
  if (entry) {
    root.append(title, new LabBlock(lesson, entry).element,
      el('p', {}, el('a', { href: lessonUrl(lesson.id), target: embed ? '_blank' : '_self' }, 'The whole lesson', embed ? ' ↗' : '')));
    return;
  }
  if (!embed) root.append(lessonNav(lesson));
  root.append(title);
  for (const part of lesson.body) {
    if (typeof part === 'string') root.append(el('p', {}, ...proseNodes(part, lesson.numbers)));
    else root.append(new LabBlock(lesson, lesson.labs.find((l) => l.id === part.lab)).element);
  }
  if (!embed) root.append(lessonNav(lesson, { bottom: true }));
}

/** One lab of a lesson: the question, the live lab, the link to the full lab, the answer and the checks. */
class LabBlock {
  constructor(lesson, entry) {
    this.lesson = lesson;
    this.entry = entry;
    this.revealed = false;
    const n = (text) => proseNodes(text, lesson.numbers);
    const name = `predict-${entry.id}`;
    const section = el('section', { className: 'lesson-lab', dataset: { testid: `lab-${entry.id}`, lab: entry.id }, 'aria-labelledby': `${name}-title` });
    const heading = el('h3', { id: `${name}-title` }, ...n(entry.title));
    const fieldset = el('fieldset', { className: 'predict', dataset: { testid: 'predict' } });
    fieldset.append(el('legend', {}, el('span', { className: 'predict-tag' }, 'Predict'), ' ', ...n(entry.predict.question)));
    this.choices = entry.predict.choices.map((choice, i) => {
      const input = el('input', { type: 'radio', name, value: String(i), dataset: { testid: `choice-${i}` } });
      fieldset.append(el('label', { className: 'predict-choice' }, input, el('span', {}, ...n(choice))));
      return input;
    });
    const steps = entry.steps.toLocaleString('en-US');
    const how = el('p', { className: 'lab-how' },
      `Then run the lab: train it to step ${steps} or beyond (Play, then Pause; or Step), and the answer and the checks below appear, evaluated on your run.`);
    this.frame = el('iframe', {
      src: labSrc(entry), title: `Lab: ${heading.textContent}`, loading: 'lazy', className: 'lab-frame',
      dataset: { testid: 'lab-frame' },
    });
    this.open = el('a', { href: labLink(entry), target: '_blank', rel: 'noopener', className: 'btn btn-small', dataset: { testid: 'open-in-lab' } }, 'Open in the lab ↗');
    const own = el('a', { href: lessonUrl(this.lesson.id, `&lab=${encodeURIComponent(entry.id)}`), className: 'lab-own-link', dataset: { testid: 'lab-link' } }, 'This lab alone');
    this.status = el('p', { className: 'lab-status', role: 'status', dataset: { testid: 'lab-status' } }, 'Your run: not started.');
    const links = el('div', { className: 'lab-links' }, this.open, own, this.status);
    this.answer = el('div', { className: 'predict-answer', hidden: true, dataset: { testid: 'predict-answer' } });
    this.checks = el('ul', { className: 'lesson-checks', dataset: { testid: 'lesson-checks' } });
    const checksBox = el('div', { className: 'lesson-checks-box' }, el('h4', {}, 'Checked on your run'), this.checks);
    section.append(heading, fieldset, how, this.frame, links, this.answer, checksBox);
    this.element = section;
    this.#renderChecks(null);
    window.addEventListener('message', (e) => {
      if (e.source === this.frame.contentWindow && e.data?.type === RUNS_MESSAGE) this.#update(e.data);
    });
  }

  // A report from the lab: where its runs are; once they are done, the answer and the checks.
  #update({ runs, link }) {
    if (typeof link === 'string' && /^(https?|file):/.test(link)) this.open.href = link;
    if (!Array.isArray(runs) || !runs.length) return;
    const steps = this.entry.steps;
    const done = runs.every((r) => r.settled && (r.step >= steps || r.diverged));
    const at = runs.map((r) => `${runs.length > 1 ? `${r.label} ` : ''}step ${r.step.toLocaleString('en-US')}${r.diverged ? ' (diverged)' : ''}`).join(', ');
    this.status.textContent = done ? `Your run: ${at}. Done.` : `Your run: ${at} of ${steps.toLocaleString('en-US')}.`;
    this.element.dataset.done = String(done);
    if (!done) return;
    this.#reveal();
    this.#renderChecks(Object.fromEntries(runs.map((r) => [r.label, { init: r.init, final: r.final, diverged: r.diverged, layers: r.layers }])));
  }

  #reveal() {
    const picked = this.choices.findIndex((c) => c.checked);
    const { answer, why, choices } = this.entry.predict;
    const n = (text) => proseNodes(text, this.lesson.numbers);
    const verdict = picked < 0 ? 'You did not pick an answer.' : picked === answer ? 'Your prediction was right.' : 'Your prediction was not what happened.';
    this.answer.replaceChildren(
      el('p', {}, el('strong', {}, 'Answer: '), ...n(choices[answer])),
      el('p', {}, ...n(why)),
      el('p', { className: 'predict-verdict' }, verdict));
    this.answer.dataset.picked = String(picked);
    this.answer.dataset.right = String(picked === answer);
    this.answer.hidden = false;
    this.choices.forEach((c, i) => c.closest('label').classList.toggle('is-answer', i === answer));
    this.revealed = true;
  }

  // Each check: pending until the run is done, then ✓ or ✗ with the numbers of the learner's run.
  #renderChecks(results) {
    this.checks.replaceChildren(...this.entry.checks.map((check) => {
      const li = el('li', { dataset: { testid: 'lesson-check' } });
      const mark = el('span', { className: 'mark', 'aria-hidden': 'true' });
      if (!results) {
        li.dataset.holds = 'pending';
        mark.textContent = '…';
        li.append(mark, ' ', ...claimNodes(check, this.lesson.numbers), el('span', { className: 'check-detail' }, ' (after your run)'));
        return li;
      }
      const c = checkExpectation(results, check);
      li.dataset.holds = String(c.holds);
      mark.textContent = c.holds ? '✓' : '✗';
      li.append(mark, el('span', { className: 'visually-hidden' }, c.holds ? 'holds: ' : 'does not hold: '), ...claimNodes(check, this.lesson.numbers),
        el('span', { className: 'check-detail' }, ` (${c.detail})`));
      return li;
    }));
  }
}
