// The lab page's mode (web/src/pageMode.js): the transition table the page follows, the
// paths each way into the lab takes (the e2e tests in tests/e2e/modes.test.mjs walk them
// on the page), and the moves the table refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageMode, MODES, TRANSITIONS } from '../../web/src/pageMode.js';

/** A strict mode walked through `path` (the first mode is where it starts). */
function walk(path) {
  const seen = [];
  const mode = new PageMode({ onChange: (name, from) => seen.push(`${from}→${name}`) });
  for (const name of path.slice(1)) mode.to(name);
  return seen;
}

test('every mode is described and every move goes to a mode', () => {
  assert.deepEqual(Object.keys(TRANSITIONS).sort(), Object.keys(MODES).sort());
  for (const [from, targets] of Object.entries(TRANSITIONS)) {
    for (const to of targets) assert.ok(to in MODES, `${from} → ${to}: ${to} is not a mode`);
    assert.equal(new Set(targets).size, targets.length, `${from} lists a move twice`);
  }
});

test('every mode is reached from loading, and idle from every mode', () => {
  const reach = (from) => {
    const seen = new Set([from]);
    const todo = [from];
    while (todo.length) for (const to of TRANSITIONS[todo.pop()]) if (!seen.has(to)) { seen.add(to); todo.push(to); }
    return seen;
  };
  assert.deepEqual([...reach('loading')].sort(), Object.keys(MODES).sort());
  for (const from of Object.keys(MODES)) assert.ok(reach(from).has('idle'), `no way from ${from} to idle`);
});

test('the ways into the lab walk the table: a link, a jump, an import (taken and refused), a preset and its run', () => {
  assert.deepEqual(walk(['loading', 'fromUrl', 'fromUrl', 'idle']), ['loading→fromUrl', 'fromUrl→fromUrl', 'fromUrl→idle']);
  assert.deepEqual(walk(['loading', 'fromUrl', 'jumping', 'idle']), ['loading→fromUrl', 'fromUrl→jumping', 'jumping→idle']);
  assert.deepEqual(walk(['loading', 'fromUrl', 'idle', 'importing', 'idle']).slice(-2), ['idle→importing', 'importing→idle']);
  assert.deepEqual(walk(['loading', 'fromUrl', 'idle', 'importing', 'creating', 'idle']).slice(-2), ['importing→creating', 'creating→idle']);
  assert.deepEqual(walk(['loading', 'fromUrl', 'idle', 'creating', 'idle', 'training', 'idle']).slice(-3), ['creating→idle', 'idle→training', 'training→idle']);
  assert.deepEqual(walk(['loading', 'fromUrl', 'idle', 'creating', 'refused', 'creating', 'idle']).slice(-3), ['creating→refused', 'refused→creating', 'creating→idle']);
});

test('a move the table does not list throws, naming both modes and what is allowed', () => {
  for (const [path, name] of [
    [['loading', 'idle'], 'loading → idle'],
    [['loading', 'creating'], 'loading → creating'],
    [['loading', 'fromUrl', 'idle', 'jumping'], 'idle → jumping'],
    [['loading', 'fromUrl', 'creating', 'training'], 'creating → training'],
    [['loading', 'fromUrl', 'refused', 'idle'], 'refused → idle'],
  ]) {
    assert.throws(() => walk(path), (err) => err.message.includes(name) && /allowed \(from \w+: /.test(err.message), name);
  }
  assert.throws(() => new PageMode().to('playing'), /unknown mode 'playing'/);
});

test('a refused move leaves the mode as it was when strict, and is logged and made in a build', (t) => {
  const strict = new PageMode();
  strict.to('fromUrl', { params: 'p' });
  assert.throws(() => strict.to('training'));
  assert.equal(strict.name, 'fromUrl');
  assert.deepEqual(strict.data, { params: 'p' });

  const logged = t.mock.method(console, 'error', () => {});
  const lenient = new PageMode({ strict: false });
  lenient.to('idle');
  assert.equal(lenient.name, 'idle');
  assert.equal(logged.mock.callCount(), 1);
  assert.match(logged.mock.calls[0].arguments[0], /loading → idle is not allowed/);
});

test('a mode carries its data until the next move, and is() names it', () => {
  const mode = new PageMode();
  mode.to('fromUrl', { drop: [] });
  assert.ok(mode.is('fromUrl'));
  assert.ok(mode.is('importing', 'fromUrl'));
  assert.ok(!mode.is('idle'));
  assert.deepEqual(mode.data, { drop: [] });
  mode.to('idle');
  assert.equal(mode.data, null);
});
