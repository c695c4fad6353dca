'use strict';
// node --test tests/js/ : the pure parts of the gallery views: month sections and their layout, the
// scrubber's year marks, zoom geometry, map areas and date-line rings, year and tag counts.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const JS = path.join(__dirname, '../../themes/default/assets/js/');
const layout = require(JS + 'layout.js');
const timeline = require(JS + 'timeline.js');
const zoom = require(JS + 'zoom.js');
const map = require(JS + 'map.js');
const years = require(JS + 'years.js');
const tagIndex = require(JS + 'tagindex.js');
const query = require(JS + 'query.js');

// ----------------------------------------------------------------------------------------------------
// month sections

test('months groups consecutive entries by month, in list order, with labels', () => {
  const list = [
    { date: '2019-05-21T13:45:01+02:00' }, { date: '2019-05-01T08:00:00' }, { date: '2019-04-30T23:59:59' },
    { date: '2018-12-24' }, { date: 'garbage' }, {}, { date: '2017-01-01T00:00:00' }
  ];
  assert.deepEqual(timeline.months(list), [
    { start: 0, key: '2019-05', label: 'May 2019', year: '2019', short: 'May' },
    { start: 2, key: '2019-04', label: 'April 2019', year: '2019', short: 'Apr' },
    { start: 3, key: '2018-12', label: 'December 2018', year: '2018', short: 'Dec' },
    { start: 4, key: '', label: 'No date', year: '', short: '' },
    { start: 6, key: '2017-01', label: 'January 2017', year: '2017', short: 'Jan' }
  ]);
  assert.deepEqual(timeline.months([]), []);
  assert.equal(timeline.months([{ date: '2019-13-01' }])[0].label, 'No date', 'an impossible month');
});

test('months over 100,000 entries takes little time and finds every month', () => {
  const list = [];
  for (let i = 0; i < 100000; i++) {
    const month = 12 - Math.floor(i / 100000 * 240) % 12;
    const year = 2025 - Math.floor(i / 100000 * 20);
    list.push({ date: `${year}-${String(month).padStart(2, '0')}-15T12:00:00` });
  }
  const start = process.hrtime.bigint();
  const sections = timeline.months(list);
  assert.ok(Number(process.hrtime.bigint() - start) / 1e6 < 200);
  assert.equal(sections.length, 240);
  assert.ok(sections.every((s, i) => i === 0 || s.start > sections[i - 1].start));
});

test('dateOrdered tells date-ordered lists (either way) from ranked ones', () => {
  const d = (...dates) => dates.map((date) => ({ date }));
  assert.equal(timeline.dateOrdered(d('2020-01-01', '2019-05-01', '2019-05-01', '2001-01-01')), true);
  assert.equal(timeline.dateOrdered(d('2001-01-01', '2019-05-01T10:00:00+02:00', '2020-01-01')), true);
  assert.equal(timeline.dateOrdered(d('2020-01-01', '2001-01-01', '2019-05-01')), false);
  assert.equal(timeline.dateOrdered([]), true);
  assert.equal(timeline.dateOrdered([{ date: '2020-01-01' }, {}]), true, 'no date sorts last when newest first');
});

test('layout.sections starts each section on a new row under a header band', () => {
  const ratios = [1.5, 1.5, 1.5, 0.75, 1, 1, 1, 1, 1, 2];
  const sections = [{ start: 0 }, { start: 3 }, { start: 9 }];
  const result = layout.sections(ratios, sections, { containerWidth: 600, targetRowHeight: 100, gap: 4, headerHeight: 30 });
  assert.equal(result.boxes.length, ratios.length);
  assert.deepEqual(result.headers.map((h) => [h.index, h.start, h.end]), [[0, 0, 3], [1, 3, 9], [2, 9, 10]]);
  assert.equal(result.headers[0].y, 0);
  for (const header of result.headers) {
    const first = result.boxes[header.start];
    assert.equal(first.x, 0, 'a section starts a row');
    assert.ok(first.y >= header.y + header.h, 'its items are below its header');
    const rows = result.rows.filter((r) => r.start >= header.start && r.end <= header.end);
    assert.equal(rows.reduce((n, r) => n + r.end - r.start, 0), header.end - header.start, 'rows stay inside the section');
  }
  for (let i = 1; i < result.rows.length; i++) assert.ok(result.rows[i].y > result.rows[i - 1].y);
  const last = result.boxes[result.boxes.length - 1];
  assert.equal(result.height, last.y + last.h);
  result.boxes.forEach((box, index) => assert.equal(box.index, index));
  // the binary searches the grid uses
  assert.deepEqual(layout.headersIn(result, 0, 10).map((h) => h.index), [0]);
  assert.deepEqual(layout.headersIn(result, 0, result.height).map((h) => h.index), [0, 1, 2]);
  assert.equal(layout.headerAt(result, result.headers[1].y + 5).index, 1);
  assert.equal(layout.headerAt(result, -10).index, 0);
  assert.equal(layout.rowOf(result, 9), result.rows.length - 1);
  const span = layout.range(result, result.headers[1].y, result.headers[1].y + 40);
  assert.ok(span.start <= 3 && span.end > 3);
});

test('layout.sections of a single section equals justify shifted by the header', () => {
  const ratios = [1.2, 0.8, 1.5, 1, 1.33, 0.66, 1.78];
  const opts = { containerWidth: 800, targetRowHeight: 150, gap: 4, headerHeight: 40 };
  const plain = layout.justify(ratios, opts);
  const sectioned = layout.sections(ratios, [{ start: 0 }], opts);
  assert.deepEqual(sectioned.boxes.map((b) => [b.x, b.y - 40, b.w, b.h]), plain.boxes.map((b) => [b.x, b.y, b.w, b.h]));
  assert.equal(sectioned.height, plain.height + 40);
});

test('yearMarks keeps the first section of each year, spaced at least minGap apart', () => {
  const sections = timeline.months([
    { date: '2020-02-01' }, { date: '2020-01-01' }, { date: '2019-12-01' }, { date: '2019-01-01' }, { date: '2010-06-01' }
  ]);
  const fake = { height: 1000, headers: [{ index: 0, y: 0 }, { index: 1, y: 100 }, { index: 2, y: 200 }, { index: 3, y: 210 }, { index: 4, y: 990 }] };
  assert.deepEqual(timeline.yearMarks(sections, fake, 0.05), [
    { year: '2020', index: 0, at: 0 }, { year: '2019', index: 2, at: 0.2 }, { year: '2010', index: 4, at: 0.99 }
  ]);
  assert.deepEqual(timeline.yearMarks(sections, fake, 0.5).map((m) => m.year), ['2020', '2010']);
});

// ----------------------------------------------------------------------------------------------------
// zoom geometry

const box = { w: 400, h: 300, W: 400, H: 600 };   // a landscape picture fitted to the width of a tall stage

test('zoom: the fitted view cannot pan; zoomed, the picture cannot leave a gap at its edges', () => {
  assert.deepEqual(zoom.clamp({ s: 1, x: 50, y: -80 }, box), { s: 1, x: 0, y: 0 });
  assert.deepEqual(zoom.clamp({ s: 2, x: 500, y: 500 }, box), { s: 2, x: 200, y: 0 }, 'at 2x: 800 wide in 400');
  assert.deepEqual(zoom.clamp({ s: 3, x: -1000, y: 1000 }, box), { s: 3, x: -400, y: 150 });
  assert.equal(zoom.clamp({ s: 0.2, x: 0, y: 0 }, box).s, 1);
  assert.equal(zoom.clamp({ s: 100, x: 0, y: 0 }, box).s, zoom.MAX_SCALE);
});

test('zoom: zooming keeps the point under the finger where it is', () => {
  const point = { x: 100, y: 50 };
  const state = zoom.zoomTo({ s: 1, x: 0, y: 0 }, 2, point, box);
  // the image point under (100, 50) was at image offset 100 from the centre; at 2x it is at 200 + x
  assert.equal(state.s, 2);
  assert.equal(200 + state.x, 100);
  const back = zoom.zoomTo(state, 1, point, box);
  assert.deepEqual(back, { s: 1, x: 0, y: 0 });
});

test('zoom: double tap toggles between the fitted view and 2.5x at the tap', () => {
  const inState = zoom.toggle({ s: 1, x: 0, y: 0 }, { x: 0, y: 0 }, box);
  assert.equal(inState.s, 2.5);
  assert.deepEqual(zoom.toggle(inState, { x: 10, y: 10 }, box), { s: 1, x: 0, y: 0 });
});

test('zoom: pinch scales by the change of finger distance about the moving midpoint', () => {
  const start = { s: 1, x: 0, y: 0 };
  const from = { distance: 100, x: 0, y: 0 };
  assert.deepEqual(zoom.pinch(start, from, { distance: 200, x: 0, y: 0 }, box), { s: 2, x: 0, y: 0 });
  const moved = zoom.pinch(start, from, { distance: 200, x: 30, y: 0 }, box);
  assert.equal(moved.s, 2);
  assert.equal(moved.x, 30, 'the picture follows the fingers');
  assert.equal(zoom.pinch(start, from, { distance: 20, x: 0, y: 0 }, box).s, 1, 'not smaller than fitted');
});

// ----------------------------------------------------------------------------------------------------
// map

test('areaQuery writes the lat/lon ranges the search language reads back', () => {
  assert.equal(map.areaQuery({ south: 40.12345678, west: -80, north: 45, east: -70 }), 'lat in [40.1235:45] lon in [-80:-70]');
  assert.equal(map.areaQuery({ south: -10, west: 170, north: 10, east: 190 }), 'lat in [-10:10] lon in [170:-170]', 'across the date line');
  assert.equal(map.areaQuery({ south: -100, west: -400, north: 100, east: 400 }), 'lat in [-90:90]', 'wider than the world');
  assert.equal(map.areaQuery({ south: 0, west: 0, north: 1, east: 180 }), 'lat in [0:1] lon in [0:180]');
  const entries = [{ id: 'a', lat: 0, lon: 179 }, { id: 'b', lat: 0, lon: -179 }, { id: 'c', lat: 0, lon: 0 }];
  const found = query.search(entries, map.areaQuery({ south: -1, west: 178, north: 1, east: 182 })).entries.map((e) => e.id);
  assert.deepEqual(found, ['a', 'b']);
});

test('unwrapRing makes a ring across the date line continuous and leaves others alone', () => {
  const ring = [[170, 60], [180, 60], [-175, 62], [-170, 65], [180, 66], [170, 60]];
  assert.deepEqual(map.unwrapRing(ring), [[170, 60], [180, 60], [185, 62], [190, 65], [180, 66], [170, 60]]);
  const plain = [[0, 0], [10, 0], [10, 10], [0, 0]];
  assert.deepEqual(map.unwrapRing(plain), plain);
  const shapes = { features: [{ geometry: { type: 'MultiPolygon', coordinates: [[ring]] } }, { geometry: null }] };
  map.unwrapShapes(shapes);
  assert.deepEqual(shapes.features[0].geometry.coordinates[0][0][2], [185, 62]);
});

test('located accepts usable positions only', () => {
  assert.equal(map.located({ lat: 1, lon: 2 }), true);
  assert.equal(map.located({ lat: 0, lon: 0 }), true);
  assert.equal(map.located({ lat: 91, lon: 0 }), false);
  assert.equal(map.located({ lat: '1', lon: 2 }), false);
  assert.equal(map.located({}), false);
});

// ----------------------------------------------------------------------------------------------------
// years and tags

test('years counts per year, newest first, with a landscape cover when there is one', () => {
  const entries = [
    { id: 'a', date: '2020-05-01', width: 3, height: 4 }, { id: 'b', date: '2020-01-01', width: 4, height: 3 },
    { id: 'c', date: '2019-01-01', width: 3, height: 4 }, { id: 'd', type: 'video', date: '2018-01-01', width: 16, height: 9 },
    { id: 'e', date: '' }
  ];
  assert.deepEqual(years.years(entries).map((y) => [y.year, y.count, y.cover.id]),
    [['2020', 2, 'b'], ['2019', 1, 'c'], ['2018', 1, 'd'], ['', 1, 'e']]);
});

test('counts tallies list and text fields, most first, then by name', () => {
  const entries = [{ tags: ['b', 'a'] }, { tags: ['a'] }, { tags: [] }, {}, { tags: ['C'] }];
  assert.deepEqual(tagIndex.counts(entries, 'tags'), [{ value: 'a', count: 2 }, { value: 'b', count: 1 }, { value: 'C', count: 1 }]);
  assert.deepEqual(tagIndex.counts([{ country: 'Italy' }, { country: 'Italy' }, { country: '' }], 'country'), [{ value: 'Italy', count: 2 }]);
});
