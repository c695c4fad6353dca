'use strict';
// node --test tests/js/ : data.js: loading data files in both worlds, http fetch and file:// scripts,
// with the transports replaced and in a sandbox whose <script> elements run.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const JS = path.join(__dirname, '../../themes/default/assets/js/');
const hg = require(JS + 'data.js');

const { DATABASE, gzipJson } = require('./fixtures/database.js');

/** The exact content hgsite writes to data/<name>.js. */
function dataScript(name, bytes) {
  return '(window.hgsiteData = window.hgsiteData || {})[' + JSON.stringify(name) + '] = "' +
    Buffer.from(bytes).toString('base64') + '";';
}

test('loadData over http fetches the .json.gz with the version as cache buster', async () => {
  const asked = [];
  const data = await hg.loadData('database', {
    protocol: 'https:',
    version: 'ab12',
    fetchBytes: (url) => { asked.push(url); return Promise.resolve(gzipJson(DATABASE)); },
    scriptBytes: () => assert.fail('the script is only a fallback over http')
  });
  assert.deepEqual(asked, ['data/database.json.gz?v=ab12']);
  assert.equal(data.entries[0].id, '3f9a0c2d4b5e6f71');
});

test('loadData over http falls back to the script when fetch fails', async () => {
  const asked = [];
  const data = await hg.loadData('database', {
    protocol: 'http:',
    version: 'v1',
    fetchBytes: (url) => { asked.push(url); return Promise.reject(new Error('HTTP 404')); },
    scriptBytes: (name, url) => { asked.push(name + ' ' + url); return Promise.resolve(gzipJson(DATABASE)); }
  });
  assert.deepEqual(asked, ['data/database.json.gz?v=v1', 'database data/database.js?v=v1']);
  assert.equal(data.entries.length, 2);
});

test('loadData reports both failures when neither file loads', async () => {
  await assert.rejects(hg.loadData('database', {
    protocol: 'http:',
    version: '',
    fetchBytes: () => Promise.reject(new Error('HTTP 404')),
    scriptBytes: () => Promise.reject(new hg.DataError('Could not load data/database.js.', 'Check the data folder.'))
  }), (err) => {
    assert.equal(err.name, 'DataError');
    assert.match(err.message, /database\.json\.gz \(HTTP 404\)/);
    assert.match(err.message, /database\.js \(Could not load/);
    assert.equal(err.hint, 'Check the data folder.');
    return true;
  });
});

test('loadData from file:// never fetches and checks the type from the name', async () => {
  const places = { type: 'hgsite/places@1', names: ['Berlin'] };
  const data = await hg.loadData('places', {
    protocol: 'file:',
    version: 'x',
    fetchBytes: () => assert.fail('fetch is blocked on file://'),
    scriptBytes: (name, url) => { assert.equal(url, 'data/places.js?v=x'); return Promise.resolve(gzipJson(places)); }
  });
  assert.deepEqual(data, places);
  await assert.rejects(hg.loadData('places', {
    protocol: 'file:',
    scriptBytes: () => Promise.resolve(gzipJson(DATABASE))
  }), { message: /expected hgsite\/places@/ });
});

/**
 * Load errors.js, bytes.js and data.js in a sandbox with a fake window/document whose <script> elements run the given files,
 * so the real file:// code path (script insertion, window.hgsiteData, base64, gzip) is exercised.
 */
function sandbox(files, protocol) {
  const inserted = [];
  const context = {
    atob, Blob, Response, DecompressionStream, TextDecoder, TextEncoder, Uint8Array, Promise, Error, Object,
    JSON, String, Array, Math, Number, encodeURIComponent, decodeURIComponent, setTimeout, Date, Map, Set
  };
  const document = {
    documentElement: { hasAttribute: (n) => n === 'data-version', getAttribute: () => '5e1f' },
    createElement: () => {
      const listeners = {};
      return { addEventListener: (type, fn) => { listeners[type] = fn; }, remove() {}, listeners };
    },
    head: {
      appendChild: (script) => {
        inserted.push(script.src);
        setTimeout(() => {
          const file = files[script.src.replace(/\?.*$/, '')];
          if (file === undefined) return script.listeners.error();
          vm.runInContext(file, context);
          script.listeners.load();
        }, 1);
      }
    }
  };
  context.window = context;
  context.document = document;
  context.location = { protocol: protocol || 'file:' };
  vm.createContext(context);
  for (const file of ['errors.js', 'bytes.js', 'data.js']) vm.runInContext(fs.readFileSync(JS + file, 'utf8'), context);
  return { hg: context.hgsite, inserted, window: context };
}

test('file:// loading runs data/database.js and decodes its base64 gzip', async () => {
  const box = sandbox({ 'data/database.js': dataScript('database', gzipJson(DATABASE)) });
  const data = await box.hg.loadData('database');
  assert.deepEqual(box.inserted, ['data/database.js?v=5e1f']);
  assert.equal(data.type, 'hgsite/database@1');
  assert.equal(data.entries[0].files[0], '2019/<script>alert(1)</script>.jpg');
  assert.equal(box.window.hgsiteData.database, undefined, 'the big base64 string is released');
  // concurrent callers share one script load
  const again = await Promise.all([box.hg.loadData('database'), box.hg.loadData('database')]);
  assert.equal(again[0].entries.length, 2);
  assert.equal(box.inserted.length, 2);
});

test('file:// loading reports a missing or empty data script', async () => {
  const missing = sandbox({});
  await assert.rejects(missing.hg.loadData('database'), (err) => {
    assert.equal(err.name, 'DataError');
    assert.match(err.message, /Could not load data\/database\.js/);
    assert.match(err.hint, /data/);
    return true;
  });
  const empty = sandbox({ 'data/database.js': '/* nothing */' });
  await assert.rejects(empty.hg.loadData('database'), { message: /did not contain the database data/ });
  const corrupt = sandbox({ 'data/database.js': dataScript('database', gzipJson(DATABASE)).replace('H4sI', 'H4s*') });
  await assert.rejects(corrupt.hg.loadData('database'), { name: 'DataError' });
});
