'use strict';
// People: who is named in the photos, with their faces.
const test = require('node:test');
const assert = require('node:assert/strict');
const { peopleOf } = require('../../themes/default/assets/js/people.js');

test('peopleOf counts people and takes a face box for each', () => {
  const entries = [
    { id: 'a', people: ['Anna'], faces: [] },
    { id: 'b', people: ['Anna', 'Ben'], faces: [['Ben', 0.1, 0.1, 0.2, 0.2], ['Anna', 0.5, 0.5, 0.1, 0.1]] },
    { id: 'c' }
  ];
  const people = peopleOf(entries);
  assert.deepEqual(people.map((p) => [p.name, p.count, p.entry.id]), [['Anna', 2, 'b'], ['Ben', 1, 'b']]);
  assert.deepEqual(people[0].face, ['Anna', 0.5, 0.5, 0.1, 0.1]);
});
