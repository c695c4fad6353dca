'use strict';
// node --test tests/js/ : data decoding, loading in both worlds, routes, formatting, preview choice.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const zlib = require('node:zlib');

const CORE = path.join(__dirname, '../../themes/default/assets/js/core.js');
const hg = require(CORE);

const DATABASE = {
  type: 'hgsite/database@1',
  created: '2026-11-22T10:00:00+00:00',
  entries: [
    { id: '3f9a0c2d4b5e6f71', type: 'image', date: '2019-05-21T13:45:01+02:00', width: 4000, height: 3000,
      previews: [320, 720], files: ['2019/<script>alert(1)</script>.jpg'] },
    { id: '0000000000000002', type: 'video', width: 1920, height: 1080, duration: 12.5, previews: [320] }
  ]
};

function gzipJson(value) {
  return new Uint8Array(zlib.gzipSync(Buffer.from(JSON.stringify(value), 'utf8')));
}

/** The exact content hgsite writes to data/<name>.js. */
function dataScript(name, bytes) {
  return '(window.hgsiteData = window.hgsiteData || {})[' + JSON.stringify(name) + '] = "' +
    Buffer.from(bytes).toString('base64') + '";';
}

// ----------------------------------------------------------------------------------------------------
// bytes

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

test('checkDatabase returns entries and drops the ones without an id', () => {
  const entries = hg.checkDatabase({ type: 'hgsite/database@1', entries: [{ id: 'a' }, { id: '' }, null, { type: 'image' }, { id: 'b' }] });
  assert.deepEqual(entries.map((e) => e.id), ['a', 'b']);
  assert.throws(() => hg.checkDatabase({ type: 'hgsite/database@1' }), { name: 'DataError', message: /entries/ });
});

// ----------------------------------------------------------------------------------------------------
// loading in both worlds, with the transports replaced

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
 * Load core.js in a sandbox with a fake window/document whose <script> elements run the given files,
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
  vm.runInContext(fs.readFileSync(CORE, 'utf8'), context);
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

// ----------------------------------------------------------------------------------------------------
// routes

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

// ----------------------------------------------------------------------------------------------------
// previews

const TAGS = { 320: 'aa11', 720: 'bb22', 1920: 'cc33' };
const PHOTO = { id: '0123456789abcdef', width: 4000, height: 3000, previews: [320, 720, 1920] };

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

// ----------------------------------------------------------------------------------------------------
// formatting

test('formatDate shows the date as written, without time zone conversion', () => {
  assert.equal(hg.formatDate('2019-05-21T13:45:01+02:00'), 'Tue, 21 May 2019, 13:45:01 (UTC+02:00)');
  assert.equal(hg.formatDate('2019-05-21T13:45:01'), 'Tue, 21 May 2019, 13:45:01');
  assert.equal(hg.formatDate('2019-05-21T23:59:59-0930'), 'Tue, 21 May 2019, 23:59:59 (UTC-09:30)');
  assert.equal(hg.formatDate('2000-01-01T00:00:00Z'), 'Sat, 1 Jan 2000, 00:00:00 (UTC)');
  assert.equal(hg.formatDate('2019-05-21T13:45:01.123+02:00', { weekday: false, seconds: false, offset: false }), '21 May 2019, 13:45');
  assert.equal(hg.formatDate('2019-05-21'), 'Tue, 21 May 2019');
  assert.equal(hg.formatDate('2019-05-21T13:45'), 'Tue, 21 May 2019, 13:45');
  assert.equal(hg.formatDate('2019-05-21T13:45:01', { time: false }), 'Tue, 21 May 2019');
  assert.equal(hg.formatDate('garbage'), 'garbage');
  assert.equal(hg.formatDate('2019-13-01'), '2019-13-01');
  assert.equal(hg.formatDate(undefined), '');
  assert.deepEqual(hg.parseDate('1999-12-31T23:05:09+05:45'),
    { year: 1999, month: 12, day: 31, hour: 23, minute: 5, second: 9, offset: '+05:45' });
});

test('formatExposure writes exposure times like a camera', () => {
  const cases = [[0.004, '1/250 s'], [1 / 8000, '1/8000 s'], [0.0015625, '1/640 s'], [0.5, '1/2 s'],
    [1 / 3, '1/3 s'], [0.4, '0.4 s'], [0.8, '0.8 s'], [1, '1 s'], [2.5, '2.5 s'], [30, '30 s'], [1.3333, '1.3 s']];
  for (const [value, text] of cases) assert.equal(hg.formatExposure(value), text, String(value));
  for (const bad of [0, -1, NaN, null, undefined, 'abc']) assert.equal(hg.formatExposure(bad), '');
});

test('aperture, focal length, ISO-like numbers', () => {
  assert.equal(hg.formatFNumber(2.8), 'f/2.8');
  assert.equal(hg.formatFNumber(4), 'f/4');
  assert.equal(hg.formatFNumber(2.79999), 'f/2.8');
  assert.equal(hg.formatFNumber(0), '');
  assert.equal(hg.formatFocal(4.25, 26), '4.3 mm (26 mm equiv.)');
  assert.equal(hg.formatFocal(50, 50), '50 mm');
  assert.equal(hg.formatFocal(50), '50 mm');
  assert.equal(hg.formatFocal(null, 26), '');
  assert.equal(hg.formatNumber(1234567), '1,234,567');
  assert.equal(hg.formatNumber(999), '999');
  assert.equal(hg.formatNumber(0), '0');
});

test('formatBytes, formatDuration, formatDimensions, formatCoordinates, formatCamera', () => {
  assert.equal(hg.formatBytes(999), '999 B');
  assert.equal(hg.formatBytes(3400000), '3.4 MB');
  assert.equal(hg.formatBytes(15300000), '15 MB');
  assert.equal(hg.formatBytes(999999), '1 MB');
  assert.equal(hg.formatBytes(1200000000), '1.2 GB');
  assert.equal(hg.formatBytes(undefined), '');
  assert.equal(hg.formatDuration(7.4), '0:07');
  assert.equal(hg.formatDuration(62), '1:02');
  assert.equal(hg.formatDuration(3723), '1:02:03');
  assert.equal(hg.formatDuration(undefined), '');
  assert.equal(hg.formatDimensions(4000, 3000), '4000 × 3000 (12.0 MP)');
  assert.equal(hg.formatDimensions(200, 100), '200 × 100');
  assert.equal(hg.formatCoordinates(48.856614, 2.3522219), '48.85661° N, 2.35222° E');
  assert.equal(hg.formatCoordinates(-33.8688, -151.2093), '33.86880° S, 151.20930° W');
  assert.equal(hg.formatCoordinates(0, 0), '0.00000° N, 0.00000° E');
  assert.equal(hg.formatCoordinates(91, 0), '');
  assert.equal(hg.formatCoordinates(undefined, 2), '');
  assert.equal(hg.formatCamera('Canon', 'Canon EOS 5D Mark IV'), 'Canon EOS 5D Mark IV');
  assert.equal(hg.formatCamera('NIKON CORPORATION', 'NIKON D750'), 'NIKON D750');
  assert.equal(hg.formatCamera('Apple', 'iPhone 12'), 'Apple iPhone 12');
  assert.equal(hg.formatCamera('', 'X100V'), 'X100V');
  assert.equal(hg.formatCamera(undefined, undefined), '');
});

test('describeEntry lists the metadata in order and skips what is missing', () => {
  const entry = {
    id: '3f9a0c2d4b5e6f71', type: 'image', date: '2019-05-21T13:45:01+02:00', dsrc: 'name',
    width: 4000, height: 3000, size: 3400000, make: 'Canon', model: 'Canon EOS R5', lens: 'RF 24-105mm',
    exposure: 0.004, fnumber: 2.8, iso: 100, focal: 50, focal35: 50, lat: 48.856614, lon: 2.3522219,
    place: 'Paris, France', files: ['a/<img src=x onerror=alert(1)>.jpg', 'b/copy.jpg'], tags: ['holiday', 'family'],
    labels: ['seashore'], previews: {}
  };
  const rows = hg.describeEntry(entry);
  const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
  assert.deepEqual(rows.map((r) => r.key), ['date', 'camera', 'lens', 'exposure', 'aperture', 'iso', 'focal',
    'dimensions', 'size', 'files', 'place', 'gps', 'tags', 'labels', 'id']);
  assert.equal(byKey.date.value, 'Tue, 21 May 2019, 13:45:01 (UTC+02:00)');
  assert.equal(byKey.date.note, 'from the file name');
  assert.equal(byKey.camera.value, 'Canon EOS R5');
  assert.equal(byKey.exposure.value, '1/250 s');
  assert.equal(byKey.aperture.value, 'f/2.8');
  assert.equal(byKey.iso.value, 'ISO 100');
  assert.equal(byKey.focal.value, '50 mm');
  assert.equal(byKey.dimensions.value, '4000 × 3000 (12.0 MP)');
  assert.equal(byKey.size.value, '3.4 MB');
  assert.equal(byKey.files.label, 'Files');
  assert.deepEqual(byKey.files.value, ['a/<img src=x onerror=alert(1)>.jpg', 'b/copy.jpg'], 'raw text, the DOM escapes it');
  assert.equal(byKey.gps.value, '48.85661° N, 2.35222° E');
  assert.deepEqual(byKey.tags.value, ['holiday', 'family']);

  const video = hg.describeEntry({ id: 'v', type: 'video', duration: 75, width: 1920, height: 1080, previews: {} });
  assert.deepEqual(video.map((r) => [r.key, r.value]), [['dimensions', '1920 × 1080 (2.1 MP)'], ['duration', '1:15'], ['id', 'v']]);
});
