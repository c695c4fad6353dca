'use strict';
// Slideshow: the order of play (shuffle, loop), the settings it remembers, the id-list queries of memories.
const test = require('node:test');
const assert = require('node:assert/strict');
const slideshow = require('../../themes/default/assets/js/slideshow.js');
const query = require('../../themes/default/assets/js/query.js');

const { Playlist, playOrder, seeded } = slideshow;

function walk(list, steps, how) {
  const seen = [list.current()];
  for (let i = 0; i < steps; i++) seen.push(list[how || 'next']());
  return seen;
}

test('in order: next, prev, and the end without looping', () => {
  const list = new Playlist(4, { loop: false });
  assert.deepEqual(walk(list, 4), [0, 1, 2, 3, -1]);
  assert.equal(list.current(), 3, 'stays on the last one');
  assert.deepEqual(walk(list, 4, 'prev'), [3, 2, 1, 0, 0]);
});

test('looping goes round both ways', () => {
  const list = new Playlist(3, { loop: true });
  assert.deepEqual(walk(list, 5), [0, 1, 2, 0, 1, 2]);
  const back = new Playlist(3, { loop: true });
  assert.deepEqual(walk(back, 4, 'prev'), [0, 2, 1, 0, 2]);
  assert.equal(new Playlist(3, { loop: true }).peek(1), 1);
});

test('a start index starts there', () => {
  const list = new Playlist(5, { start: 3, loop: false });
  assert.deepEqual(walk(list, 2), [3, 4, -1]);
});

test('shuffle: every item once per round, the same for the same seed, the start first', () => {
  const a = playOrder(50, { shuffle: true, random: seeded(7) });
  const b = playOrder(50, { shuffle: true, random: seeded(7) });
  assert.deepEqual(a, b);
  assert.deepEqual(a.slice().sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(a, Array.from({ length: 50 }, (_, i) => i));
  assert.equal(playOrder(50, { shuffle: true, random: seeded(3), first: 17 })[0], 17);
});

test('shuffle and loop: each round plays everything, a new round does not repeat the last item', () => {
  for (let seed = 1; seed < 40; seed++) {
    const list = new Playlist(6, { shuffle: true, loop: true, random: seeded(seed) });
    const round1 = walk(list, 5);
    const round2 = [list.next()].concat(walk(list, 5).slice(1));
    assert.deepEqual(round1.slice().sort(), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(round2.slice().sort(), [0, 1, 2, 3, 4, 5]);
    assert.notEqual(round2[0], round1[5], `seed ${seed}`);
  }
});

test('switching shuffle keeps the item shown', () => {
  const list = new Playlist(10, { loop: false, random: seeded(5) });
  list.next();
  list.next();
  list.setShuffle(true);
  assert.equal(list.current(), 2);
  assert.equal(list.pos, 0);
  const rest = walk(list, 9).slice(1);
  assert.deepEqual(rest.slice().sort((x, y) => x - y), [0, 1, 3, 4, 5, 6, 7, 8, 9]);
  list.setShuffle(false);
  assert.equal(list.current(), rest[8]);
  assert.equal(list.pos, rest[8]);
});

test('an empty list has nothing next', () => {
  const list = new Playlist(0, { loop: true });
  assert.equal(list.next(), -1);
});

test('settings: defaults, and stored values only when they make sense', () => {
  assert.deepEqual(slideshow.readSettings(null), { interval: 5, shuffle: false, loop: true });
  assert.deepEqual(slideshow.readSettings('{"interval": 10, "shuffle": true, "loop": false}'), { interval: 10, shuffle: true, loop: false });
  assert.deepEqual(slideshow.readSettings('{"interval": 0, "shuffle": "yes"}'), { interval: 5, shuffle: false, loop: true });
  assert.deepEqual(slideshow.readSettings('not json'), { interval: 5, shuffle: false, loop: true });
  assert.equal(slideshow.readSettings('{"interval": 1}').interval, 1);
});

test('id lists: recognised only with full ids, and they find what the query language finds', () => {
  const entries = [
    { id: '0123456789abcdef', date: '2024-01-02T00:00:00' },
    { id: 'fedcba9876543210', date: '2023-01-02T00:00:00' },
    { id: '00000000000000aa', date: '2022-01-02T00:00:00' }
  ];
  const text = 'id in (fedcba9876543210, 0123456789abcdef)';
  assert.deepEqual(slideshow.idsOf(text), ['fedcba9876543210', '0123456789abcdef']);
  const found = query.search(entries, text).entries.map((e) => e.id);
  assert.deepEqual(found.slice().sort(), slideshow.idsOf(text).slice().sort());
  assert.deepEqual(slideshow.pickIds(entries, slideshow.idsOf(text)).map((e) => e.id), found, 'the same, in the same order');
  assert.equal(slideshow.idsOf('id in (fedcba98)'), null, 'a prefix is a search');
  assert.equal(slideshow.idsOf('tag:holiday'), null);
  assert.equal(slideshow.idsOf('id in (0123456789abcdef) tag:x'), null);
});
