'use strict';
// Memories ("On this day"): which items a day brings back, by year, one per burst and near-duplicate group.
const test = require('node:test');
const assert = require('node:assert/strict');
const memories = require('../../themes/default/assets/js/memories.js');

const TODAY = { year: 2026, month: 6, day: 15 };

let counter = 0;
function item(date, extra) {
  counter += 1;
  return Object.assign({ id: 'i' + String(counter).padStart(3, '0'), type: 'image', date: date, width: 4000, height: 3000, tags: [], labels: [] }, extra || {});
}

/** Entries newest first, like the database. */
function newestFirst(list) {
  return list.slice().sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

function ids(list) { return list.map((e) => e.id); }

test('the day in earlier years, by year, newest year first; not this year, not other days', () => {
  const a = item('2023-06-15T10:00:00');
  const b = item('2023-06-15T18:30:00+02:00');
  const c = item('2021-06-15T08:00:00');
  const d = item('2016-06-15T23:59:59');
  const e = item('2025-06-15T12:00:00', { type: 'video', duration: 3 });
  const today = item('2026-06-15T09:00:00');
  const other = item('2023-06-16T10:00:00');
  const result = memories.memoriesOf(newestFirst([a, b, c, d, e, today, other]), TODAY);
  assert.equal(result.mode, 'day');
  assert.deepEqual(result.years.map((y) => y.year), [2025, 2023, 2021, 2016]);
  assert.deepEqual(result.years.map((y) => y.label), ['1 year ago · 2025', '3 years ago · 2023', '5 years ago · 2021', '10 years ago · 2016']);
  assert.deepEqual(ids(result.years[1].picks), ids([b, a]), 'database order: newest first');
  assert.equal(result.count, 5);
  assert.equal(result.years[1].query, 'date:2023-06-15');
});

test('too few on the day: the week around it in each earlier year', () => {
  const on = item('2020-06-15T10:00:00');
  const before = item('2020-06-12T10:00:00');
  const after = item('2019-06-18T10:00:00');
  const outside = item('2019-06-19T00:00:00');
  const result = memories.memoriesOf(newestFirst([on, before, after, outside]), TODAY);
  assert.equal(result.mode, 'week');
  assert.deepEqual(result.years.map((y) => [y.year, ids(y.picks)]), [[2020, ids([on, before])], [2019, ids([after])]]);
  assert.equal(result.years[1].query, 'date in [2019-06-12:2019-06-18]');
});

test('enough on the day: the week is not used', () => {
  const day = [1, 2, 3, 4].map((h) => item(`20${10 + h}-06-15T1${h}:00:00`));
  const near = item('2015-06-14T10:00:00');
  const result = memories.memoriesOf(newestFirst(day.concat([near])), TODAY);
  assert.equal(result.mode, 'day');
  assert.equal(result.count, 4);
});

test('the week crosses the turn of the year', () => {
  const dec = item('2022-12-30T10:00:00');
  const jan = item('2023-01-03T10:00:00');
  const result = memories.memoriesOf(newestFirst([dec, jan]), { year: 2026, month: 1, day: 1 });
  assert.equal(result.mode, 'week');
  assert.deepEqual(result.years.map((y) => [y.year, ids(y.picks)]), [[2023, ids([jan, dec])]]);
  assert.equal(result.years[0].query, 'date in [2022-12-29:2023-01-04]');
});

test('one per near-duplicate group: the best of the group', () => {
  const small = item('2022-06-15T10:00:00', { width: 800, height: 600 });
  const large = item('2022-06-15T11:00:00');
  const alone = item('2022-06-15T12:00:00');
  const entries = newestFirst([small, large, alone]);
  const groupOf = memories.groupIndex([{ items: [entries.indexOf(small), entries.indexOf(large)], similarity: 0.95 }], entries.length);
  const result = memories.memoriesOf(entries, TODAY, { groupOf });
  assert.deepEqual(ids(result.years[0].picks), ids([alone, large]));
  // without the groups both stay
  assert.equal(memories.memoriesOf(entries, TODAY).count, 3);
});

test('one per burst: shots of one camera a few seconds apart', () => {
  const camera = { make: 'Apple', model: 'iPhone 12' };
  const first = item('2021-06-15T10:00:00', camera);
  const second = item('2021-06-15T10:00:02', Object.assign({ people: ['Anna'] }, camera));
  const third = item('2021-06-15T10:00:04', camera);
  const later = item('2021-06-15T10:00:30', camera);
  const otherCamera = item('2021-06-15T10:00:01', { make: 'Canon', model: 'EOS' });
  const result = memories.memoriesOf(newestFirst([first, second, third, later, otherCamera]), TODAY);
  assert.deepEqual(ids(result.years[0].picks), ids([later, second, otherCamera]), 'the burst keeps its photo with people');
});

test('screenshots and documents are left out (labels, file names, tags)', () => {
  const photo = item('2020-06-15T10:00:00');
  const site = item('2020-06-15T11:00:00', { labels: ['website', 'web site'] });
  const menu = item('2020-06-15T12:00:00', { labels: ['menu'] });
  const shot = item('2020-06-15T13:00:00', { files: ['Pictures/Screenshots/Screenshot_20200615-130000.png'] });
  const tagged = item('2020-06-15T14:00:00', { tags: ['Screenshot'] });
  const cat = item('2020-06-15T15:00:00', { labels: ['cat'] });
  const result = memories.memoriesOf(newestFirst([photo, site, menu, shot, tagged, cat]), TODAY);
  assert.deepEqual(ids(result.years[0].picks), ids([cat, photo]));
  assert.equal(result.years[0].found, 6, 'the search link counts everything of the day');
});

test('the score prefers people, then photos without camera shake', () => {
  const plain = { width: 4000, height: 3000 };
  assert.ok(memories.scoreOf(Object.assign({ people: ['Anna'] }, plain)) > memories.scoreOf(plain));
  assert.ok(memories.scoreOf(Object.assign({ faces: [['', 0.1, 0.1, 0.2, 0.2, '3']] }, plain)) > memories.scoreOf(plain));
  const steady = Object.assign({ exposure: 1 / 250, focal35: 26 }, plain);
  const shaky = Object.assign({ exposure: 1 / 4, focal35: 26 }, plain);
  assert.equal(memories.sharpness(steady), 2);
  assert.equal(memories.sharpness(shaky), -2);
  assert.equal(memories.sharpness(Object.assign({ exposure: 1 / 30, focal35: 50 }, plain)), 0, 'between 1/f and 2/f');
  assert.equal(memories.sharpness(Object.assign({ iso: 6400 }, plain)), -1);
  assert.equal(memories.sharpness({ width: 640, height: 480 }), -1, 'under a megapixel');
  assert.ok(memories.scoreOf(Object.assign({ dsrc: 'mtime' }, plain)) < memories.scoreOf(Object.assign({ dsrc: 'exif' }, plain)));
});

test('at most perYear per year are the top ones (the best, in database order); picks hold them all', () => {
  const list = [];
  for (let i = 0; i < 30; i++) {
    const hour = String(Math.floor(i / 2)).padStart(2, '0');
    list.push(item(`2024-06-15T${hour}:${i % 2 ? '30' : '00'}:00`, i % 3 === 0 ? { people: ['P'] } : {}));
  }
  const result = memories.memoriesOf(newestFirst(list), TODAY);
  const year = result.years[0];
  assert.equal(year.picks.length, 30);
  assert.equal(year.top.length, memories.PER_YEAR);
  const withPeople = year.top.filter((e) => e.people).length;
  assert.equal(withPeople, 10, 'all ten with people are among the top');
  const order = ids(newestFirst(list));
  assert.deepEqual(ids(year.top), ids(year.top).slice().sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  assert.equal(memories.memoriesOf(newestFirst(list), TODAY, { perYear: 5 }).years[0].top.length, 5);
});

test('29 February: only leap years on the day, the week around it otherwise', () => {
  const leap = item('2024-02-29T10:00:00');
  const march = item('2023-03-01T10:00:00');
  const leapDay = { year: 2028, month: 2, day: 29 };
  const result = memories.memoriesOf(newestFirst([leap, march]), leapDay);
  assert.equal(result.mode, 'week');
  assert.deepEqual(result.years.map((y) => y.year), [2024, 2023]);
});

test('nothing: no years and a count of 0; odd dates are ignored', () => {
  const result = memories.memoriesOf([{ id: 'x', date: 'unknown' }, { id: 'y' }, item('2020-01-01T00:00:00')], TODAY);
  assert.deepEqual(result.years, []);
  assert.equal(result.count, 0);
});

test('dayNumber counts days like Date.UTC', () => {
  for (const [y, m, d] of [[1970, 1, 1], [2000, 2, 29], [1999, 12, 31], [2026, 6, 15], [1900, 3, 1]]) {
    assert.equal(memories.dayNumber(y, m, d), Date.UTC(y, m - 1, d) / 864e5);
  }
});

test('texts: the day and the years', () => {
  assert.equal(memories.dayName(TODAY), 'June 15');
  assert.equal(memories.yearList([{ year: 2023 }, { year: 2021 }, { year: 2016 }]), '2023, 2021 and 2016');
  assert.equal(memories.yearList([{ year: 2023 }]), '2023');
  const many = [2025, 2024, 2022, 2020, 2019, 2018].map((year) => ({ year }));
  assert.equal(memories.yearList(many), '2025, 2024, 2022 and 3 more years');
  assert.equal(memories.yearList(many.slice(0, 4)), '2025, 2024, 2022 and 2020');
});
