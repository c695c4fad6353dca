'use strict';
// node --test tests/js/ : the browser's similarity ranking against codes and expectations computed in Python
// (tests/js/fixtures/similar.json, made and kept current by tests/unit/test_similarity.py).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');

const similar = require(path.join(__dirname, '../../themes/default/assets/js/similar.js'));

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/similar.json'), 'utf8'));

test('the score of two items is the number of equal bits, as hgsite/codes.py computes it', () => {
  const codes = similar.parseCodes(FIXTURE, FIXTURE.count);
  for (let a = 0; a < FIXTURE.count; a++) {
    for (let b = 0; b < FIXTURE.count; b++) {
      assert.equal(similar.similarity(codes.words, a, b), FIXTURE.matrix[a][b], `items ${a} and ${b}`);
    }
  }
});

test('rank puts the query first, then descending scores, ties in database order, without missing items', () => {
  const codes = similar.parseCodes(FIXTURE, FIXTURE.count);
  for (const [query, expected] of Object.entries(FIXTURE.rankings)) {
    const result = similar.rank(codes, Number(query));
    assert.deepEqual(Array.from(result.order), expected, `query ${query}`);
    assert.equal(result.scores[Number(query)], 1024);
  }
  // items 0 and 5 have identical codes: from 0, item 5 comes next; from 5, item 0 does
  assert.deepEqual(Array.from(similar.rank(codes, 5).order.slice(0, 2)), [5, 0]);
});

test('the duplicates view lists the largest group first, then items stored at several paths once', () => {
  const codes = similar.parseCodes(FIXTURE, FIXTURE.count);
  assert.deepEqual(similar.duplicateOrder(codes), [0, 1, 5, 2, 6, 3]);
});

test('parseCodes refuses data that does not match the database', () => {
  assert.throws(() => similar.parseCodes(FIXTURE, FIXTURE.count + 1), { name: 'DataError', message: /does not match/ });
  assert.throws(() => similar.parseCodes({ ...FIXTURE, code: { kind: 'pca', bits: 128 } }), { name: 'DataError' });
  const short = { ...FIXTURE, codes: Buffer.from(Buffer.from(FIXTURE.codes, 'base64').subarray(0, 100)).toString('base64') };
  assert.throws(() => similar.parseCodes(short, FIXTURE.count), { name: 'DataError', message: /incomplete/ });
});

test('popcount handles every bit position, including the sign bit of a 32-bit word', () => {
  const bytes = new Uint8Array(2 * 128);
  bytes.fill(0xff, 128);      // item 1: all ones, item 0: all zeros
  const codes = { count: 2, words: similar.toWords(bytes), missing: new Uint8Array(2) };
  assert.equal(similar.similarity(codes.words, 0, 1), 0);
  bytes[0] = 0x80;            // bit 0 of item 0 set: the sign bit of its first word
  bytes[127] = 0x01;          // and its last bit
  const again = similar.toWords(bytes);
  assert.equal(similar.similarity(again, 0, 1), 2);
  assert.equal(similar.similarity(again, 0, 0), 1024);
});

test('ranking 20,000 random codes agrees with a plain sort', () => {
  const count = 20000;
  const bytes = new Uint8Array(count * 128);
  let seed = 12345;
  for (let i = 0; i < bytes.length; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; bytes[i] = seed >>> 24; }
  const codes = { count, words: similar.toWords(bytes), missing: new Uint8Array(count) };
  codes.missing[7] = 1;
  const { order, scores } = similar.rank(codes, 3);
  const expected = Array.from({ length: count }, (_, i) => i).filter((i) => i !== 3 && i !== 7)
    .sort((a, b) => scores[b] - scores[a] || a - b);
  assert.deepEqual(Array.from(order), [3, ...expected]);
});

test('similarCount keeps the leading items at or above the floor', () => {
  const scores = new Uint16Array([1024, 700, 630, 629, 500]);
  const order = new Int32Array([0, 1, 2, 3, 4]);
  assert.equal(similar.similarCount(order, scores), 3, 'the default floor keeps 630 and drops 629');
  assert.equal(similar.similarCount(order, scores, 701), 1, 'the query alone');
  assert.equal(similar.similarCount(order, scores, 0), 5);
  assert.equal(similar.similarCount(new Int32Array(0), scores), 0);
  assert.equal(similar.FLOOR, 630);
});
