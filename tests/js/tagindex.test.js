'use strict';
// The tags page's lists: one entry per concept for labels, people once.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const tagIndex = require(path.join(__dirname, '../../themes/default/assets/js/tagindex.js'));

test('the synonyms of a label are aliases of its name, not entries of their own', () => {
  const entries = [
    { labels: ['lampshade', 'lamp shade'] },
    { labels: ['lampshade', 'lamp shade'] },
    { labels: ['website', 'web site', 'internet site'] },
    { labels: ['dingo', 'dog', 'warrigal', 'warragal'] },
    { labels: ['Beagle', 'dog'] },
    { labels: [] }, {}
  ];
  assert.deepEqual(tagIndex.labelCounts(entries), [
    { value: 'dog', count: 2, aliases: [] },
    { value: 'lampshade', count: 2, aliases: ['lamp shade'] },
    { value: 'Beagle', count: 1, aliases: [] },
    { value: 'dingo', count: 1, aliases: ['warrigal', 'warragal'] },
    { value: 'website', count: 1, aliases: ['web site', 'internet site'] }
  ]);
});

test('a broader word that only ever follows one name adds nothing and folds into it', () => {
  const entries = [{ labels: ['rooster', 'bird', 'cock'] }, { labels: ['rooster', 'bird', 'cock'] }];
  assert.deepEqual(tagIndex.labelCounts(entries), [{ value: 'rooster', count: 2, aliases: ['bird', 'cock'] }]);
  // with a second kind of bird, "bird" is a concept of its own again
  entries.push({ labels: ['goldfinch', 'bird'] });
  assert.deepEqual(tagIndex.labelCounts(entries).map((item) => item.value), ['bird', 'rooster', 'goldfinch']);
});

test('a word that starts an item\'s labels anywhere is shown', () => {
  const entries = [{ labels: ['tent', 'camp'] }, { labels: ['camp'] }];
  assert.deepEqual(tagIndex.labelCounts(entries).map((item) => item.value), ['camp', 'tent']);
});

test('a person appears once: neither People/<name> nor the plain tag of the same name are tags', () => {
  const entries = [
    { tags: ['Marie Curie', 'People/Marie Curie', 'People/Pierre Curie', 'Pierre Curie', 'lab'], people: ['Marie Curie', 'Pierre Curie'] },
    { tags: ['persons/Ada', 'holiday'], people: ['Ada'] },
    { tags: ['marie curie'], people: ['Marie Curie'] },
    { tags: ['Marie Curie'] }   // a tag that names nobody on this photo stays a tag
  ];
  assert.deepEqual(tagIndex.tagCounts(entries), [
    { value: 'holiday', count: 1 }, { value: 'lab', count: 1 }, { value: 'Marie Curie', count: 1 }
  ]);
  assert.deepEqual(tagIndex.counts(entries, 'people'), [
    { value: 'Marie Curie', count: 2 }, { value: 'Ada', count: 1 }, { value: 'Pierre Curie', count: 1 }
  ]);
});
