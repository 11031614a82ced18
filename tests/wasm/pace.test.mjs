// The pace of Play (web/src/pace.js) on a clock the test turns: the steps a Pacer makes due,
// frame after frame, and what it owes after a late frame. The page's own pace in Chromium,
// where frames come when the machine allows: tests/e2e/pace.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pacer, readPace, paceIndex, paceAt, PACE_LADDER } from '../../web/src/pace.js';

/** Steps a pacer takes over `seconds` of frames every `frameMs`, paying all it is due. */
function play(pace, seconds, frameMs) {
  const pacer = new Pacer(pace);
  pacer.restart(0);
  let steps = 0;
  let most = 0;
  for (let now = frameMs; now <= seconds * 1000 + 1e-9; now += frameMs) {
    const due = pacer.due(now);
    pacer.paid(due);
    steps += due;
    most = Math.max(most, due);
  }
  return { steps, most };
}

test('a pacer makes its pace due per second of frames, fractions carried over', () => {
  for (const pace of [1, 2, 5, 20, 50, 1000, 20000]) {
    for (const frameMs of [1000 / 60, 1000 / 144, 50]) {
      const { steps } = play(pace, 10, frameMs);
      assert.ok(Math.abs(steps - 10 * pace) <= 1, `pace ${pace}, frames of ${frameMs.toFixed(1)} ms: ${steps} steps in 10 s`);
    }
  }
});

test('up to 30 steps a second a frame takes one step at most; faster paces take several', () => {
  assert.equal(play(30, 5, 50).most, 1);
  assert.equal(play(30, 5, 50).steps, 100, 'frames of 50 ms cap pace 30 at 20 a second');
  assert.equal(play(1000, 1, 1000 / 60).most, 17);
});

test('a late frame owes at most a quarter second of steps, or two at slow paces', () => {
  const pacer = new Pacer(1000);
  pacer.restart(0);
  assert.equal(pacer.due(5000), 250, 'a hidden tab for 5 s');
  pacer.paid(250);
  assert.equal(pacer.due(5000 + 1000 / 60), 16);
  const slow = new Pacer(2);
  slow.restart(0);
  assert.equal(slow.due(60000), 1, 'pace 2 after a minute: one step a frame');
  slow.paid(1);
  assert.equal(slow.due(60000 + 1000 / 60), 1, 'and one more, not 119');
  slow.paid(1);
  assert.equal(slow.due(60000 + 2000 / 60), 0);
});

test('a link\'s pace is max or an integer from 1 to 50000, and the control finds its stop', () => {
  for (const [text, pace] of [['max', 'max'], ['1', 1], ['50', 50], ['50000', 50000], ['0', undefined], ['50001', undefined], ['1.5', undefined], ['fast', undefined], ['', undefined]]) {
    assert.equal(readPace(text), pace, text);
  }
  PACE_LADDER.forEach((p, i) => assert.equal(paceAt(paceIndex(p)), p, `stop ${i}`));
  assert.equal(paceAt(paceIndex(70)), 50);
  assert.equal(paceAt(paceIndex(80)), 100);
  assert.equal(paceAt(paceIndex('max')), 'max');
});
