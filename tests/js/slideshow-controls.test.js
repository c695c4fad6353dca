'use strict';
// Slideshow controls: the seconds to choose from, and which way a swipe steps.
const test = require('node:test');
const assert = require('node:assert/strict');
const controls = require('../../themes/default/assets/js/slideshow-controls.js');
const { INTERVALS } = require('../../themes/default/assets/js/slideshow.js');

test('seconds per photo: the usual ones, with a stored value that is not among them in its place', () => {
  assert.deepEqual(controls.intervalChoices(INTERVALS, 5), [3, 5, 10, 15, 30, 60]);
  assert.equal(controls.intervalChoices(INTERVALS, 5), INTERVALS, 'the same list when it has the value');
  assert.deepEqual(controls.intervalChoices(INTERVALS, 1), [1, 3, 5, 10, 15, 30, 60]);
  assert.deepEqual(controls.intervalChoices(INTERVALS, 20), [3, 5, 10, 15, 20, 30, 60]);
  assert.deepEqual(INTERVALS, [3, 5, 10, 15, 30, 60], 'the usual ones are left as they are');
});

test('a swipe: left steps on, right steps back, short or mostly vertical moves are taps', () => {
  assert.equal(controls.swipeStep(-260, 0), 1);
  assert.equal(controls.swipeStep(260, 10), -1);
  assert.equal(controls.swipeStep(-40, 0), 0, 'at most 40 px is a tap');
  assert.equal(controls.swipeStep(-41, 0), 1);
  assert.equal(controls.swipeStep(-60, 40), 0, 'not clearly sideways');
  assert.equal(controls.swipeStep(-61, 40), 1);
  assert.equal(controls.swipeStep(0, 0), 0);
});
