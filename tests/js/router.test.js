'use strict';
// node --test tests/js/ : router.js: the hash routes, a public contract.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const hg = require(path.join(__dirname, '../../themes/default/assets/js/router.js'));

test('parseRoute understands the public routes', () => {
  for (const hash of ['', '#', '#/', '#//']) {
    assert.deepEqual(hg.parseRoute(hash), { name: 'all', params: {}, known: true }, hash);
  }
  assert.deepEqual(hg.parseRoute('#/view/3f9a0c2d4b5e6f71'), { name: 'view', params: { id: '3f9a0c2d4b5e6f71' }, known: true });
  assert.deepEqual(hg.parseRoute('#/view/3f9a0c2d4b5e6f71/'), { name: 'view', params: { id: '3f9a0c2d4b5e6f71' }, known: true });
  assert.deepEqual(hg.parseRoute('#view/abc'), { name: 'view', params: { id: 'abc' }, known: true });
  assert.equal(hg.parseRoute('#/view/a%2Fb').params.id, 'a/b');
  assert.equal(hg.parseRoute('#/view/%3Cscript%3E').params.id, '<script>');
  assert.equal(hg.parseRoute('#/view/%E0%A4%A').params.id, '%E0%A4%A', 'malformed escapes are kept as written');
});

test('parseRoute falls back to all for unknown or malformed routes', () => {
  const fallback = { name: 'all', params: {}, known: false };
  for (const hash of ['#/nope', '#/view', '#/view/', '#/view/a/b', '#/all', '#/__proto__', '#/constructor/x',
    '#/hasOwnProperty', '#/VIEW/abc', '#/search/cat']) {
    assert.deepEqual(hg.parseRoute(hash), fallback, hash);
  }
});

test('routes defined later slot into the same router', () => {
  hg.router.define('search', { param: 'query', rest: true });
  hg.router.define('map');
  assert.deepEqual(hg.parseRoute('#/search/ratio:16/9 and tag:cat'), { name: 'search', params: { query: 'ratio:16/9 and tag:cat' }, known: true });
  assert.deepEqual(hg.parseRoute('#/search/a%20b/'), { name: 'search', params: { query: 'a b/' }, known: true });
  assert.deepEqual(hg.parseRoute('#/map'), { name: 'map', params: {}, known: true });
  assert.deepEqual(hg.parseRoute('#/map/'), { name: 'map', params: {}, known: true });
  assert.equal(hg.parseRoute('#/map/extra').name, 'all');
  assert.equal(hg.formatRoute('search', { query: 'year:2019 / cats' }), '#/search/year%3A2019%20/%20cats');
  assert.equal(hg.formatRoute('map'), '#/map');
});

test('formatRoute and parseRoute round-trip ids', () => {
  assert.equal(hg.formatRoute('all'), '#/');
  assert.equal(hg.formatRoute('unknown-route', { id: 'x' }), '#/');
  for (const id of ['3f9a0c2d4b5e6f71', 'a/b', 'with space', '<script>', 'ü#?&%']) {
    const hash = hg.formatRoute('view', { id });
    assert.ok(!/[ #?<>]/.test(hash.slice(1)), hash);
    assert.deepEqual(hg.parseRoute(hash).params, { id });
  }
});
