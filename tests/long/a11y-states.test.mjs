// axe-core on the heavier states of the page (tests/e2e/axeStates.mjs's LONG_STATES): a
// preset, a comparison, the sweep view and the coordinate check's card after its runs.
import { test } from 'node:test';
import { useBrowser } from '../e2e/helpers.mjs';
import { LONG_STATES, checkAxe } from '../e2e/axeStates.mjs';

const { server, browser } = useBrowser();

for (const state of LONG_STATES) {
  test(`axe: no serious or critical violation on the ${state[0]}`, () => checkAxe(browser, server, state));
}
