'use strict';
// Folders: the tree from the database's folder rows, and the folder: and path: searches its pages link to.
const test = require('node:test');
const assert = require('node:assert/strict');
const folders = require('../../themes/default/assets/js/folders.js');
const query = require('../../themes/default/assets/js/query.js');

test('folderTree nests the rows and finds the roots', () => {
  const tree = folders.folderTree([['P', 0, 3, 'a'], ['P/2019', 1, 2, 'a'], ['P/2019/sub', 1, 1, 'b'], ['Q', 1, 1, 'c']]);
  assert.deepEqual(tree.roots.map((n) => n.path), ['P', 'Q']);
  assert.deepEqual(tree.byPath.get('P/2019').children.map((n) => n.name), ['sub']);
  assert.equal(tree.byPath.get('P/2019/sub').cover, 'b');
  assert.deepEqual(folders.folderTree(undefined).roots, []);
});

test('folder: finds a folder and everything below; path: only what is directly in it', () => {
  const entries = [{ id: 'a', files: ['P/2019/x.jpg'] }, { id: 'b', files: ['P/2019/sub/y.jpg'] }, { id: 'c', files: ['P/2020/z.jpg'] }];
  const ids = (text) => query.search(entries, text).entries.map((e) => e.id);
  assert.deepEqual(ids('folder:"P/2019"'), ['a', 'b']);
  assert.deepEqual(ids('path:"P/2019"'), ['a']);
  assert.deepEqual(ids('folder:P and not folder:"P/2019"'), ['c']);
  assert.deepEqual(ids('person:Anna'), []);
});

test('one source: its folders are the top level, and the trail leaves it out', () => {
  const one = folders.folderTree([['P', 2, 5, 'a'], ['P/2019', 1, 2, 'a'], ['P/2019/sub', 1, 1, 'b'], ['P/2020', 1, 1, 'c']]);
  const top = folders.topLevel(one);
  assert.equal(top.source.path, 'P');
  assert.deepEqual(top.children.map((n) => n.path), ['P/2019', 'P/2020']);
  assert.deepEqual(folders.trail(one, 'P/2019/sub'), [{ name: '2019', path: 'P/2019' }, { name: 'sub', path: 'P/2019/sub' }]);
  assert.deepEqual(folders.trail(one, 'P'), []);
  assert.equal(folders.browsable(one), true);
  assert.equal(folders.browsable(folders.folderTree([['P', 3, 3, 'a']])), false, 'one folder alone is no page');
});

test('several sources: one top folder each, and the trail names the source', () => {
  const two = folders.folderTree([['P', 1, 1, 'a'], ['Q', 0, 1, 'b'], ['Q/x', 1, 1, 'b']]);
  assert.equal(folders.topLevel(two).source, null);
  assert.deepEqual(folders.topLevel(two).children.map((n) => n.path), ['P', 'Q']);
  assert.deepEqual(folders.trail(two, 'Q/x').map((s) => s.name), ['Q', 'x']);
});
