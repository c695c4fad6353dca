'use strict';
// Fuzzing the search language: whatever is typed, parse + run either give a result or a QueryError with
// a message and a position inside the text; no other exception ever escapes to the page.
const test = require('node:test');
const assert = require('node:assert/strict');
const query = require('../../themes/default/assets/js/query.js');

const PIECES = ['tag', 'year', ':', '=', '!=', '<', '<=', '>', '>=', '~', '(', ')', '[', ']', ',', '"', "'", ' ',
  'and', 'or', 'not', 'in', 'all', 'exists', 'count', 'order', 'by', 'asc', 'desc', 'similar', 'holiday', '2019',
  '2019-05', '1/250', '3:20', '10MB', 'landscape', 'geo', 'ratio', 'duration', '\\', '\u00e9', '\ud83d\ude00', '<script>',
  '-', '.', '0', '99999999999999999999', 'NaN', '__proto__', 'constructor', 'folder', 'person', 'path', 'index', 'file',
  'id', 'C:/x', 'foo://bar', 'b:c', 'yaer', 'nokey'];
const ENTRIES = [
  { id: 'a', type: 'image', date: '2019-05-01T10:00:00', tags: ['holiday'], width: 4000, height: 3000, files: ['P/a.jpg'], size: 1000 },
  { id: 'b', type: 'video', date: '2020-01-01T10:00:00', tags: [], width: 1920, height: 1080, duration: 12, files: ['P/b.mp4'] }
];

function randomQuery(next) {
  const parts = [];
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) {
    parts.push(next() < 0.85 ? PIECES[Math.floor(next() * PIECES.length)] : String.fromCharCode(Math.floor(next() * 0x2fff)));
    if (next() < 0.5) parts.push(' ');
  }
  return parts.join('');
}

test('10,000 random queries: a result or a QueryError with a message and a position', () => {
  let seed = 12345;
  const next = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  let errors = 0;
  for (let i = 0; i < 10000; i++) {
    const text = randomQuery(next);
    try {
      const result = query.search(ENTRIES, text, { rankers: { similar: () => new Map() } });
      assert.ok(Array.isArray(result.entries), text);
    } catch (error) {
      errors++;
      assert.ok(error instanceof query.QueryError, `${JSON.stringify(text)}: ${error && error.stack}`);
      assert.ok(typeof error.message === 'string' && error.message.length > 0, text);
      assert.ok(Number.isInteger(error.pos) && error.pos >= 0 && error.pos <= text.length, `${JSON.stringify(text)} pos ${error.pos}`);
    }
  }
  assert.ok(errors > 100 && errors < 10000, `both outcomes happen (${errors} errors)`);
});

test('10,000 random queries as the page runs them: skipped unknown keys never break run', () => {
  let seed = 54321;
  const next = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  let skipped = 0;
  for (let i = 0; i < 10000; i++) {
    const text = randomQuery(next);
    let parsed;
    try {
      parsed = query.parse(text);
    } catch (error) {
      assert.ok(error instanceof query.QueryError, `${JSON.stringify(text)}: ${error && error.stack}`);
      continue;
    }
    parsed.errors.forEach((error) => {
      assert.ok(error instanceof query.QueryError && /^Unknown key/.test(error.message), text);
      assert.ok(error.pos >= 0 && error.pos < text.length, `${JSON.stringify(text)} pos ${error.pos}`);
    });
    if (parsed.errors.length) skipped++;
    const result = query.run(ENTRIES, parsed, { rankers: { similar: () => () => 1 } });
    assert.ok(Array.isArray(result.entries), text);
  }
  assert.ok(skipped > 50, `unknown keys happen (${skipped})`);
});
