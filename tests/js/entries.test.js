'use strict';
// node --test tests/js/ : entries.js: the database's entries checked, names, and preview choice.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const hg = require(path.join(__dirname, '../../themes/default/assets/js/entries.js'));

const TAGS = { 320: 'aa11', 720: 'bb22', 1920: 'cc33' };
const PHOTO = { id: '0123456789abcdef', width: 4000, height: 3000, previews: [320, 720, 1920] };

test('checkDatabase returns entries and drops the ones without an id', () => {
  const entries = hg.checkDatabase({ type: 'hgsite/database@1', entries: [{ id: 'a' }, { id: '' }, null, { type: 'image' }, { id: 'b' }] });
  assert.deepEqual(entries.map((e) => e.id), ['a', 'b']);
  assert.throws(() => hg.checkDatabase({ type: 'hgsite/database@1' }), { name: 'DataError', message: /entries/ });
});

test('previewUrl follows the documented rule', () => {
  assert.equal(hg.previewUrl('3f9a0c2d4b5e6f71', 320, '0e1d'), 'files/3f/9a/0c2d4b5e6f71-320-0e1d.jpg');
});

test('previewList sorts by real size and knows small originals are not upscaled', () => {
  hg.setPreviewTags(TAGS);
  assert.deepEqual(hg.previewList(PHOTO).map((p) => [p.key, p.px]), [['320', 320], ['720', 720], ['1920', 1920]]);
  assert.equal(hg.previewList(PHOTO)[0].url, 'files/01/23/456789abcdef-320-aa11.jpg');
  const small = { id: 'abcd', width: 500, height: 400, previews: [1920, 320, 720] };
  assert.deepEqual(hg.previewList(small).map((p) => [p.key, p.px]), [['320', 320], ['720', 500], ['1920', 500]]);
  assert.deepEqual(hg.previewList({ id: 'x', previews: [4000, 320] }).map((p) => p.size), [320], 'no tag, no URL');
  assert.deepEqual(hg.previewList({}), []);
});

test('checkDatabase takes the preview tags and ignores hostile ones', () => {
  hg.checkDatabase({ type: 'hgsite/database@1', previews: { 320: 'zz99', 720: '"><img>' }, entries: [] });
  assert.deepEqual(hg.previewList({ id: 'abcdef', width: 800, height: 600, previews: [320, 720] }).map((p) => p.url), ['files/ab/cd/ef-320-zz99.jpg']);
});

test('pickPreview picks the smallest preview that covers the need', () => {
  hg.setPreviewTags(TAGS);
  assert.equal(hg.pickPreview(PHOTO, 200).key, '320');
  assert.equal(hg.pickPreview(PHOTO, 320).key, '320');
  assert.equal(hg.pickPreview(PHOTO, 400).key, '720');
  assert.equal(hg.pickPreview(PHOTO, 721 + 1).key, '1920');
  assert.equal(hg.pickPreview(PHOTO, 5000).key, '1920', 'the largest when none covers');
  const small = { id: 'abcd', width: 500, height: 400, previews: [1920, 320, 720] };
  assert.equal(hg.pickPreview(small, 450).key, '720');
  assert.equal(hg.pickPreview(small, 4000).key, '720', 'same pixels: the smaller file wins');
  assert.equal(hg.pickPreview({ id: 'x', previews: [] }, 100), null);
});

test('coverEdge and containSize', () => {
  // a 4:3 photo cropped into a square 300px tile must be 400px on its long edge
  assert.equal(hg.coverEdge(4000, 3000, 300, 300), 400);
  assert.equal(hg.coverEdge(4000, 3000, 400, 300), 400);
  assert.equal(hg.coverEdge(3000, 4000, 300, 300), 400);
  assert.equal(hg.coverEdge(0, 0, 200, 100), 200);
  assert.deepEqual(hg.containSize(4000, 3000, 1000, 1000), { w: 1000, h: 750 });
  assert.deepEqual(hg.containSize(3000, 4000, 1000, 1000), { w: 750, h: 1000 });
  assert.deepEqual(hg.containSize(300, 200, 1000, 1000), { w: 300, h: 200 }, 'no upscaling');
  assert.deepEqual(hg.containSize(300, 200, 1000, 1000, true), { w: 1000, h: 667 });
  assert.deepEqual(hg.containSize(undefined, 0, 800, 600), { w: 600, h: 600 });
});

test('aspectRatio treats missing or zero dimensions as square', () => {
  assert.equal(hg.aspectRatio({ width: 4000, height: 3000 }), 4000 / 3000);
  assert.equal(hg.aspectRatio({ width: 0, height: 3000 }), 1);
  assert.equal(hg.aspectRatio({}), 1);
  assert.equal(hg.aspectRatio({ width: '1920', height: '1080' }), 1920 / 1080);
});

test('entryName prefers the file name, then the date, then the id', () => {
  assert.equal(hg.entryName({ id: 'x', files: ['a/b/IMG_1.JPG', 'c/IMG_1.JPG'] }), 'IMG_1.JPG');
  assert.equal(hg.entryName({ id: 'x', files: ['C:\\photos\\win.jpg'] }), 'win.jpg');
  assert.equal(hg.entryName({ id: 'x', date: '2019-05-21T13:45:01' }), 'Tue, 21 May 2019, 13:45:01');
  assert.equal(hg.entryName({ id: 'x' }), 'x');
});
