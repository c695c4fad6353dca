'use strict';
// node --test tests/js/ : format.js: values as text, and the details panel's rows with their searches.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const JS = path.join(__dirname, '../../themes/default/assets/js/');
const hg = require(JS + 'format.js');
const query = require(JS + 'query.js');

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

test('every search of describeEntry finds the entry it describes', () => {
  const entry = {
    id: '3f9a0c2d4b5e6f71', type: 'image', date: '2019-03-21T11:04:22', make: 'Apple', model: 'iPhone 7',
    lens: 'iPhone 7 back camera 3.99mm f/1.8', fnumber: 1.8, iso: 20, focal: 3.99, width: 4032, height: 3024,
    lat: 41.2203, lon: -96.071625, city: 'Ralston', state: 'Nebraska', country: 'United States',
    files: ['photos/city/IMG_2682.heic', 'IMG "odd" (1).heic'], tags: ['holiday trip', 'and'], labels: ['car'],
    people: ['Ada Lovelace']
  };
  const other = { id: 'ffff', type: 'image', date: '2000-01-01', width: 1, height: 1, tags: [], labels: [] };
  const rows = hg.describeEntry(entry);
  const searches = rows.flatMap((r) => (r.searches || []).concat(r.search ? [r.search] : []));
  assert.deepEqual(rows.find((r) => r.key === 'camera').search, 'model:"iPhone 7"');
  assert.ok(searches.length >= 15, searches.join(' | '));
  for (const text of searches) {
    assert.deepEqual(query.search([entry, other], text).entries.map((e) => e.id), [entry.id], text);
  }
  assert.equal(hg.quoteQuery('iPhone 7'), query.quote('iPhone 7'));
});
