'use strict';
// node --test tests/js/ : bytes.js: base64, gzip, UTF-8 and JSON decoding of data files.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const hg = require(path.join(__dirname, '../../themes/default/assets/js/bytes.js'));

const { DATABASE, gzipJson } = require('./fixtures/database.js');

test('decodeBase64 round-trips binary data and tolerates line breaks', () => {
  const bytes = new Uint8Array(256).map((_, i) => i);
  const text = Buffer.from(bytes).toString('base64');
  assert.deepEqual(hg.decodeBase64(text), bytes);
  assert.deepEqual(hg.decodeBase64(text.replace(/(.{76})/g, '$1\n')), bytes);
  assert.throws(() => hg.decodeBase64('not base64!'), { name: 'DataError' });
});

test('isGzip checks the magic bytes', () => {
  assert.equal(hg.isGzip(gzipJson({})), true);
  assert.equal(hg.isGzip(new TextEncoder().encode('{"type":1}')), false);
  assert.equal(hg.isGzip(new Uint8Array([0x1f])), false);
});

test('parseData decompresses gzip and checks the type', async () => {
  const data = await hg.parseData(gzipJson(DATABASE), { type: 'hgsite/database@' });
  assert.deepEqual(data, DATABASE);
  assert.equal(data.entries[0].files[0], '2019/<script>alert(1)</script>.jpg');
});

test('parseData accepts JSON a server already decoded (Content-Encoding: gzip)', async () => {
  const plain = new TextEncoder().encode(JSON.stringify(DATABASE));
  const data = await hg.parseData(plain, { type: 'hgsite/database@' });
  assert.equal(data.entries.length, 2);
  assert.equal(data.entries[1].duration, 12.5);
});

test('parseData keeps non-ASCII text intact', async () => {
  const value = { type: 'hgsite/database@1', entries: [{ id: 'a', files: ['Ürlaub/日本 🎉.jpg'] }] };
  const data = await hg.parseData(gzipJson(value), { type: 'hgsite/database@' });
  assert.equal(data.entries[0].files[0], 'Ürlaub/日本 🎉.jpg');
});

test('parseData rejects bad data with a clear message', async () => {
  await assert.rejects(hg.parseData(gzipJson({ type: 'something/else@1' }), { type: 'hgsite/database@', source: 'data/database.json.gz' }),
    { name: 'DataError', message: /data\/database\.json\.gz has type "something\/else@1", expected hgsite\/database@/ });
  await assert.rejects(hg.parseData(gzipJson([1, 2]), { type: 'hgsite/database@' }), { message: /type null/ });
  await assert.rejects(hg.parseData(new TextEncoder().encode('{"type": "hgsite/database@1", '), {}),
    { name: 'DataError', message: /not valid JSON/ });
  const truncated = gzipJson(DATABASE).slice(0, 40);
  await assert.rejects(hg.parseData(truncated, { source: 'data/database.json.gz' }),
    { name: 'DataError', message: /data\/database\.json\.gz: .*gzip/ });
  const garbage = new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  await assert.rejects(hg.parseData(garbage, {}), { name: 'DataError' });
  await assert.rejects(hg.parseData(new Uint8Array([0xff, 0xfe, 0xfd]), {}), { message: /UTF-8/ });
});
