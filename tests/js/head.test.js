'use strict';
// node --test tests/js/ : head.js: the first entries from the start of the database's JSON text, as
// bytes.js hands it over while the rest is still being decompressed.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const JS = path.join(__dirname, '../../themes/default/assets/js/');
require(JS + 'bytes.js');
const hg = require(JS + 'head.js');

test('parseHead reads the preview tags and the complete entries of any prefix of the JSON text', () => {
  const entries = [
    { id: 'a1', files: ['x/{not} [json].jpg', 'y/"quoted" \\ back.jpg'], tags: ['a,b', '}'] },
    { id: 'a2', description: 'ünïcödé 😀 {', previews: [320] },
    { id: 'a3', lat: -1.5e-3, lon: 2 },
    { noid: true },
    { id: 'a4' }
  ];
  const document = { type: 'hgsite/database@1', created: 'x', gallery: 'g', previews: { 320: 'ab12' }, events: ['e'], entries };
  for (const text of [JSON.stringify(document), JSON.stringify(document, null, 1)]) {
    const valid = entries.filter((e) => e.id);
    assert.deepEqual(hg.parseHead(text, 100), { previews: { 320: 'ab12' }, entries: valid });
    assert.deepEqual(hg.parseHead(text, 2).entries, valid.slice(0, 2));
    let seen = 0;
    for (let cut = 0; cut <= text.length; cut++) {
      const head = hg.parseHead(text.slice(0, cut), 100);
      assert.deepEqual(head.entries, valid.slice(0, head.entries.length), `prefix of ${cut}`);
      assert.ok(head.entries.length >= seen, 'more text never gives fewer entries');
      seen = head.entries.length;
    }
    assert.equal(seen, valid.length);
  }
  assert.deepEqual(hg.parseHead('not json', 10), { previews: null, entries: [] });
  assert.deepEqual(hg.parseHead('', 10), { previews: null, entries: [] });
});

test('parseData hands the start of the text to onPrefix before resolving with the whole document', async () => {
  const zlib = require('node:zlib');
  const entries = Array.from({ length: 3000 }, (_, i) => ({ id: 'id' + i, files: ['folder/' + 'x'.repeat(60) + i + '.jpg'] }));
  const document = { type: 'hgsite/database@1', previews: { 320: 'ab12' }, entries };
  const bytes = new Uint8Array(zlib.gzipSync(Buffer.from(JSON.stringify(document))));
  let prefix = null;
  const data = await hg.parseData(bytes, { type: 'hgsite/database@', onPrefix: (text) => { prefix = text; } });
  assert.equal(data.entries.length, 3000);
  assert.ok(prefix && prefix.length >= 100000 && prefix.length < JSON.stringify(document).length);
  const head = hg.parseHead(prefix, 50);
  assert.deepEqual(head.entries, entries.slice(0, 50));
  assert.deepEqual(head.previews, { 320: 'ab12' });
  let plainPrefix = null;
  await hg.parseData(new Uint8Array(Buffer.from(JSON.stringify(document))), { onPrefix: (text) => { plainPrefix = text; } });
  assert.ok(plainPrefix.startsWith('{"type":"hgsite/database@1"'));
});
