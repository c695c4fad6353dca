'use strict';
// Duplicates: the groups of the view, the best of a group, what differs, and the list of files to remove.
const test = require('node:test');
const assert = require('node:assert/strict');
const dup = require('../../themes/default/assets/js/duplicates.js');

const big = { id: 'a', width: 4000, height: 3000, size: 3e6, date: '2019-05-01T10:00:00', files: ['P/trip/a.jpg'] };
const small = { id: 'b', width: 2000, height: 1500, size: 9e5, date: '2019-05-01T10:00:00', files: ['P/export/a.jpg'] };
const png = { id: 'c', width: 4000, height: 3000, size: 9e6, date: '2020-01-01T10:00:00', files: ['P/export/a.png'] };
const copy = { id: 'd', width: 800, height: 600, size: 1e5, date: '2018-01-01T10:00:00', files: ['P/x/d.jpg', 'Q/backup/d.jpg'] };

test('the best: largest resolution, then largest file, then earliest date', () => {
  assert.equal(dup.bestOf([small, big]), big);
  assert.equal(dup.bestOf([big, png]), png, 'same pixels: the larger file');
  const older = Object.assign({}, big, { id: 'e', date: '2018-01-01T10:00:00' });
  assert.equal(dup.bestOf([big, older]), older, 'same pixels and size: the older');
  assert.equal(dup.bestOf([big, Object.assign({}, big, { id: 'f' })]), big, 'all equal: the first');
});

test('differences name each aspect that differs with its values', () => {
  const diffs = dup.differences([big, small, png]);
  assert.deepEqual(diffs.map((d) => d.key), ['resolution', 'size', 'format', 'date', 'folder']);
  assert.deepEqual(diffs[0].values, ['4000×3000', '2000×1500']);
  assert.deepEqual(diffs[2].values, ['JPG', 'PNG']);
  assert.deepEqual(dup.differences([big, Object.assign({}, big, { id: 'g' })]), []);
});

test('groups: near-duplicates largest first, then identical copies; the rest of a group is selectable', () => {
  const entries = [big, small, png, copy];
  const codes = { groups: [{ items: [0, 1], similarity: 0.9 }, { items: [0, 1, 2], similarity: 0.88 }, { items: [3, 99], similarity: 0.9 }], exact: [3] };
  const groups = dup.duplicateGroups(codes, entries);
  assert.deepEqual(groups.map((g) => [g.kind, g.entries.map((e) => e.id)]), [['near', ['a', 'b', 'c']], ['near', ['a', 'b']], ['exact', ['d']]]);
  assert.equal(groups[0].best, png);
  assert.deepEqual(dup.othersOf(groups[0]), ['a', 'b']);
  assert.deepEqual(dup.othersOf(groups[2]), [], 'identical copies are one item');
  assert.match(dup.describeGroup(groups[0]).detail, /^differ in resolution \(4000×3000, 2000×1500\), file size .*format \(JPG, PNG\)/);
  assert.equal(dup.describeGroup(groups[2]).title, 'Identical copies');
  assert.equal(dup.describeGroup(groups[2]).detail, 'in P/x, Q/backup');
});

test('the list holds every file but the one kept of each group', () => {
  const groups = dup.duplicateGroups({ groups: [{ items: [0, 1], similarity: 0.9 }], exact: [2] }, [small, big, copy]);
  const lines = dup.removalList(groups).split('\n');
  assert.ok(lines.includes('# 1, near-duplicates: keep P/trip/a.jpg'));
  assert.ok(lines.includes('P/export/a.jpg'));
  assert.ok(!lines.includes('P/trip/a.jpg'));
  assert.ok(lines.includes('# 2, identical copies: keep P/x/d.jpg'));
  assert.ok(lines.includes('Q/backup/d.jpg') && !lines.includes('P/x/d.jpg'));
});

test('an item stored twice is listed once: its copy under identical copies, or whole when it goes', () => {
  const entries = [copy, Object.assign({}, copy, { id: 'h', width: 1600, height: 1200, files: ['P/big/d.jpg'] })];
  const groups = dup.duplicateGroups({ groups: [{ items: [0, 1], similarity: 0.9 }], exact: [0] }, entries);
  const files = dup.removalList(groups).split('\n').filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(files, ['P/x/d.jpg', 'Q/backup/d.jpg'], 'the smaller item goes whole, no identical-copies group for it');
  const tiny = { id: 't', width: 100, height: 75, size: 5e3, files: ['P/thumbs/d.jpg'] };
  const kept = dup.duplicateGroups({ groups: [{ items: [0, 1], similarity: 0.9 }], exact: [0] }, [copy, tiny]);
  assert.deepEqual(dup.removalList(kept).split('\n').filter((l) => l && !l.startsWith('#')), ['P/thumbs/d.jpg', 'Q/backup/d.jpg'],
    'the best keeps its first file; its copy is listed once, under identical copies');
});
