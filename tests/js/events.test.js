'use strict';
// Tag events in the page: making, ordering, applying, undoing and exporting (same rules as the build).
const test = require('node:test');
const assert = require('node:assert/strict');
const ev = require('../../themes/default/assets/js/events.js');

const fixed = (bytes) => bytes.fill(7);

test('makeEvent makes a HomeGallery-compatible userAction with a v4 uuid', () => {
  const e = ev.makeEvent(['a', 'b'], [{ action: 'addTag', value: '  beach \t day ' }], { now: new Date('2026-01-02T03:04:05Z'), random: fixed });
  assert.equal(e.type, 'userAction');
  assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(e.date, '2026-01-02T03:04:05.000Z');
  assert.deepEqual(e.targetIds, ['a', 'b']);
  assert.deepEqual(e.actions, [{ action: 'addTag', value: 'beach day' }]);
  assert.notEqual(ev.uuid4(), ev.uuid4());
});

test('cleanTag folds whitespace and drops control characters', () => {
  assert.equal(ev.cleanTag(' a\u0000b  c '), 'ab c');
  assert.equal(ev.cleanTag('   '), '');
  assert.equal(ev.cleanTag(null), '');
  assert.equal(ev.cleanTag('x'.repeat(300)).length, 200);
});

test('ordered sorts by instant, then id, across offsets', () => {
  const list = [
    { id: 'b', date: '2026-01-01T10:00:00Z' },
    { id: 'a', date: '2026-01-01T12:00:00+02:00' },
    { id: 'z', date: '2026-01-01T09:30:00Z' }
  ];
  assert.deepEqual(ev.ordered(list).map((e) => e.id), ['z', 'a', 'b']);
});

test('applyEvent changes only the named entries, keeps tags sorted and reports what changed', () => {
  const byId = new Map([['a', { id: 'a', tags: ['zoo'] }], ['b', { id: 'b', tags: ['Apple'] }]]);
  const changed = ev.applyEvent(byId, { targetIds: ['a', 'b', 'gone'], actions: [{ action: 'addTag', value: 'beach' }] });
  assert.deepEqual(changed.map((e) => e.id), ['a', 'b']);
  assert.deepEqual(byId.get('a').tags, ['beach', 'zoo']);
  assert.deepEqual(byId.get('b').tags, ['Apple', 'beach']);
  const none = ev.applyEvent(byId, { targetIds: ['a'], actions: [{ action: 'addTag', value: 'beach' }] });
  assert.deepEqual(none, [], 'adding a tag twice changes nothing');
  ev.applyEvent(byId, { targetIds: ['a'], actions: [{ action: 'removeTag', value: 'zoo' }] });
  assert.deepEqual(byId.get('a').tags, ['beach']);
});

test('inverseEvent undoes exactly what changed', () => {
  const byId = new Map([['a', { id: 'a', tags: ['x'] }], ['b', { id: 'b', tags: [] }]]);
  const before = { a: ['x'], b: [] };
  const add = { targetIds: ['a', 'b'], actions: [{ action: 'addTag', value: 'x' }] };
  ev.applyEvent(byId, add);
  const undo = ev.inverseEvent(add, before, { random: fixed });
  assert.deepEqual(undo.targetIds, ['b'], 'a had the tag before: undo must not remove it');
  assert.deepEqual(undo.actions, [{ action: 'removeTag', value: 'x' }]);
  ev.applyEvent(byId, undo);
  assert.deepEqual([byId.get('a').tags, byId.get('b').tags], [['x'], []]);
  assert.equal(ev.inverseEvent({ targetIds: ['b'], actions: [{ action: 'removeTag', value: 'q' }] }, { b: [] }), null);
});

test('toNdjson writes the header line first, then one event per line', () => {
  const e = ev.makeEvent(['a'], [{ action: 'addTag', value: 't' }], { now: new Date('2026-01-01T00:00:00Z'), random: fixed });
  const text = ev.toNdjson([e], new Date('2026-02-01T00:00:00Z'));
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines[0], { type: 'hgsite/events@1', created: '2026-02-01T00:00:00.000Z' });
  assert.deepEqual(lines[1], e);
  assert.ok(text.endsWith('\n'));
});

test('tagCounts counts and sorts by use', () => {
  const counts = ev.tagCounts([{ tags: ['b', 'a'] }, { tags: ['b'] }, {}]);
  assert.deepEqual(counts, [['b', 2], ['a', 1]]);
});

test('Store falls back to memory without IndexedDB or localStorage', async () => {
  const store = new ev.Store('g1');
  assert.deepEqual(await store.open(), []);
  await store.add({ id: 'e1' });
  assert.deepEqual(store.readJournal(), [{ id: 'e1' }]);
  assert.equal(store.kind, 'memory');
});

test('Store journals every event synchronously in localStorage', async () => {
  const saved = new Map();
  globalThis.localStorage = {
    getItem: (k) => (saved.has(k) ? saved.get(k) : null),
    setItem: (k, v) => saved.set(k, String(v)),
    removeItem: (k) => saved.delete(k)
  };
  try {
    const store = new ev.Store('g2');
    await store.open();
    store.add({ id: 'e1' });   // not awaited: like a page closed right away
    assert.deepEqual(JSON.parse(saved.get('hgsite-events:g2')), [{ id: 'e1' }]);
    const again = new ev.Store('g2');
    assert.deepEqual(await again.open(), [{ id: 'e1' }], 'a new page finds it');
    assert.equal(again.kind, 'localstorage');
  } finally {
    delete globalThis.localStorage;
  }
});
