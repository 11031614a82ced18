// The lab rebuilt the ways a learner rebuilds it: a new link opened in the same tab (a
// hashchange) and another preset picked from the menu, each waited for until its runs are
// drawn (a step= link: until its job has got there). Shared by bench/soak.mjs and
// tests/long/page-memory.test.mjs, which sample the page's memory (pageMemory.mjs) between them.

const SWEEP = 'init.scale:0.25:4:9:log;depth:1:6:6:linear;300;trainAccuracy:0.95;loss';

/**
 * Links that rebuild the lab in every way a link can: one run, runs side by side (2 and 3),
 * other data sets (the confusion matrix, the digits), a preset, the sweep view, and step=
 * jumps (the training job) of one run and of two. The last is the one every cycle ends on.
 */
export const REBUILD_LINKS = [
  'runs=2&b.init=glorot_uniform',
  'data=iris',
  'runs=3&b.lr=0.1&c.init=zeros',
  'preset=he-2015',
  `layers=${encodeURIComponent('32:tanh|32:tanh|32:tanh|1:sigmoid')}&step=50`,
  'runs=2&b.opt=adam&step=30',
  'data=digits&normalize=standardize&layers=32:relu|10:softmax&loss=cross_entropy',
  `sweep=${encodeURIComponent(SWEEP)}`,
  'init=zeros&seed=6',
  'seed=5',
];

// The runs of the new page are drawn and settled, and no job is left.
const drawn = (page) => page.waitForFunction(() => document.body.dataset.ready === 'true' &&
  document.body.dataset.settled === 'true' && document.getElementById('status').textContent.startsWith('Step') &&
  document.querySelector('[data-testid="job"]').hidden, null, { timeout: 120000 });

/** Opens `hash` as a new link in the same tab (it must differ from the current one). */
export async function openLink(page, hash) {
  // The page's own hashchange listener runs first: when this one resolves, the page is
  // building the new runs ("Initializing…").
  await page.evaluate((h) => new Promise((resolve) => {
    addEventListener('hashchange', () => resolve(), { once: true });
    location.hash = h;
  }), hash);
  await drawn(page);
}

/** Picks preset `name` from the menu ('' leaves the preset for the learner's own settings). */
export async function pickPreset(page, name) {
  await page.selectOption('[data-testid="preset-select"]', name);
  await drawn(page);
}

/** The menu's presets, in its order, then '' (back to the learner's own settings). */
export async function presetCycle(page) {
  const names = await page.$$eval('[data-testid="preset-select"] option', (os) => os.map((o) => o.value).filter(Boolean));
  return [...names, ''];
}
