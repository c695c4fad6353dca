'use strict';
// node --test tests/js/ : the justified layout is a pure function, tested without a DOM.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const layout = require(path.join(__dirname, '../../themes/default/assets/js/layout.js'));

/** Deterministic pseudo-random numbers (mulberry32), so failures are reproducible. */
function random(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mixedRatios(n, seed) {
  const rnd = random(seed);
  const shapes = [1.5, 0.6667, 1.3333, 0.75, 1, 1.7778, 0.5625, 3, 10, 0.1, 0, NaN, undefined, -2, Infinity];
  return Array.from({ length: n }, () => (rnd() < 0.7 ? 0.4 + rnd() * 2 : shapes[Math.floor(rnd() * shapes.length)]));
}

/** Assertions every layout must satisfy. */
function checkInvariants(result, n, width, gap, padding = 0) {
  assert.equal(result.boxes.length, n);
  // order preserved: rows cover 0..n-1 in sequence, boxes left to right inside a row
  let next = 0;
  let lastBottom = -Infinity;
  for (const row of result.rows) {
    assert.equal(row.start, next, 'rows are contiguous and in order');
    assert.ok(row.end > row.start, 'no empty row');
    assert.equal(row.boxes.length, row.end - row.start);
    assert.ok(row.y >= lastBottom, 'rows do not overlap vertically');
    lastBottom = row.y + row.h;
    row.boxes.forEach((box, k) => {
      assert.equal(box.index, row.start + k);
      assert.strictEqual(result.boxes[box.index], box);
      assert.equal(box.y, row.y);
      assert.equal(box.h, row.h);
      assert.ok(Number.isInteger(box.x) && Number.isInteger(box.y) && Number.isInteger(box.w) && Number.isInteger(box.h));
      assert.ok(box.w >= 1 && box.h >= 1, 'boxes are visible');
      assert.ok(box.x >= 0 && box.x + box.w <= width, `box ${box.index} inside the container (${box.x}+${box.w} > ${width})`);
      if (k > 0) {
        const prev = row.boxes[k - 1];
        assert.ok(box.x >= prev.x + prev.w, 'boxes do not overlap horizontally');
        assert.ok(Math.abs(box.x - (prev.x + prev.w) - gap) <= 1, 'gap between boxes');
      }
    });
    next = row.end;
  }
  assert.equal(next, n, 'every item is placed once');
  assert.equal(result.height, n ? lastBottom + padding : 0);
}

test('full rows are exactly as wide as the container, the last row is not stretched', () => {
  for (const width of [1280, 1000, 768, 390, 320]) {
    const target = width < 480 ? 120 : 220;
    const ratios = mixedRatios(500, width);
    const result = layout.justify(ratios, { containerWidth: width, targetRowHeight: target, gap: 4 });
    checkInvariants(result, ratios.length, width, 4);
    result.rows.slice(0, -1).forEach((row) => {
      const last = row.boxes[row.boxes.length - 1];
      assert.ok(Math.abs(last.x + last.w - width) <= 1, `row ends at ${last.x + last.w}, container ${width}`);
      assert.equal(row.boxes[0].x, 0);
    });
    const lastRow = result.rows[result.rows.length - 1];
    assert.ok(lastRow.h <= target, 'last row keeps at most the target height');
  }
});

test('row heights stay near the target and never leave [min, max]', () => {
  const ratios = mixedRatios(2000, 7);
  const result = layout.justify(ratios, { containerWidth: 1200, targetRowHeight: 220, gap: 4 });
  for (const row of result.rows) {
    assert.ok(row.h >= 110 && row.h <= 330, `row height ${row.h}`);
  }
  const mean = result.rows.reduce((s, r) => s + r.h, 0) / result.rows.length;
  assert.ok(mean > 180 && mean < 260, `mean row height ${mean}`);
});

test('a uniform set of 3:2 photos gives the expected rows', () => {
  const result = layout.justify(new Array(10).fill(1.5), { containerWidth: 1000, targetRowHeight: 220, gap: 0 });
  // 3 photos at 1000px: 1000 / 4.5 = 222 (closer to 220 than 4 photos at 166)
  assert.deepEqual(result.rows.map((r) => r.end - r.start), [3, 3, 3, 1]);
  assert.equal(result.rows[0].h, 222);
  assert.deepEqual(result.rows[0].boxes.map((b) => [b.x, b.w]), [[0, 333], [333, 334], [667, 333]]);
  assert.equal(result.rows[3].h, 220);
  assert.equal(result.rows[3].boxes[0].w, 330);
  assert.equal(result.height, 3 * 222 + 220);
});

test('gap and padding are respected', () => {
  const result = layout.justify(new Array(7).fill(1), { containerWidth: 500, targetRowHeight: 100, gap: 10, padding: 20 });
  checkInvariants(result, 7, 500, 10, 20);
  assert.equal(result.rows[0].y, 20);
  assert.equal(result.rows[0].boxes[0].x, 20);
  const row = result.rows[0];
  const last = row.boxes[row.boxes.length - 1];
  assert.equal(last.x + last.w, 480);
  assert.equal(result.rows[1].y, row.y + row.h + 10);
  const final = result.rows[result.rows.length - 1];
  assert.equal(result.height, final.y + final.h + 20);
});

test('a 10:1 panorama never exceeds the container and is not a sliver', () => {
  for (const width of [1400, 390, 320]) {
    const target = width < 480 ? 120 : 220;
    const result = layout.justify([1.5, 10, 1.5], { containerWidth: width, targetRowHeight: target });
    checkInvariants(result, 3, width, 4);
    const pano = result.boxes[1];
    assert.ok(pano.w <= width);
    assert.ok(pano.h >= target / 2, `panorama row is ${pano.h}px high at width ${width}`);
  }
  // wide enough: the panorama is shown whole, alone on its row
  const wide = layout.justify([10], { containerWidth: 2400, targetRowHeight: 220 });
  assert.deepEqual(wide.boxes[0], { index: 0, x: 0, y: 0, w: 2200, h: 220 });
  const full = layout.justify([10, 10], { containerWidth: 1200, targetRowHeight: 220 });
  assert.deepEqual([full.boxes[0].w, full.boxes[0].h], [1200, 120]);
});

test('a 1:10 image is clamped instead of becoming a needle or a tower', () => {
  const result = layout.justify([0.1], { containerWidth: 390, targetRowHeight: 120 });
  assert.equal(result.boxes[0].h, 120);
  assert.equal(result.boxes[0].w, 30);      // clamped to 1:4
  const rows = layout.justify([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    { containerWidth: 390, targetRowHeight: 120 });
  checkInvariants(rows, 14, 390, 4);
  for (const row of rows.rows) assert.ok(row.h <= 180, `row height ${row.h}`);
  const custom = layout.justify([0.1], { containerWidth: 390, targetRowHeight: 120, minAspectRatio: 0.5 });
  assert.equal(custom.boxes[0].w, 60);
});

test('missing, zero and invalid dimensions count as square', () => {
  const result = layout.justify([0, NaN, undefined, null, -1, Infinity, 'x'], {
    containerWidth: 2000, targetRowHeight: 100, gap: 0
  });
  assert.equal(result.rows.length, 1);
  for (const box of result.boxes) assert.equal(box.w, box.h);
});

test('very narrow containers put one item per row and never overflow', () => {
  for (const width of [100, 50, 1, 0, -5, NaN]) {
    const ratios = mixedRatios(50, 3);
    const result = layout.justify(ratios, { containerWidth: width, targetRowHeight: 120, gap: 2 });
    const w = Math.max(1, Number(width) || 1);
    checkInvariants(result, 50, w, 2);
  }
});

test('a 390px phone screen has several items per row and rows fill it', () => {
  const result = layout.justify(new Array(30).fill(1.3333), { containerWidth: 390, targetRowHeight: 120, gap: 2 });
  checkInvariants(result, 30, 390, 2);
  assert.equal(result.rows[0].end - result.rows[0].start, 2);
  assert.ok(result.rows.every((row) => row.boxes.every((b) => b.x + b.w <= 390)));
});

test('lastRow option: center and justify', () => {
  const centered = layout.justify([1, 1], { containerWidth: 1000, targetRowHeight: 100, gap: 0, lastRow: 'center' });
  assert.deepEqual(centered.boxes.map((b) => b.x), [400, 500]);
  const justified = layout.justify([1.5, 1.5, 1.5], { containerWidth: 1000, targetRowHeight: 200, gap: 0, lastRow: 'justify' });
  assert.equal(justified.rows.length, 1);
  assert.equal(justified.rows[0].h, 222);
  assert.equal(justified.boxes[2].x + justified.boxes[2].w, 1000);
  // justify stops at maxRowHeight rather than blowing a lone item up
  const lone = layout.justify([1], { containerWidth: 1000, targetRowHeight: 200, lastRow: 'justify' });
  assert.equal(lone.boxes[0].h, 300);
});

test('empty input', () => {
  const result = layout.justify([], { containerWidth: 800 });
  assert.deepEqual(result, { width: 800, height: 0, rows: [], boxes: [] });
  assert.deepEqual(layout.range(result, 0, 1000), { start: 0, end: 0 });
});

test('range finds exactly the rows crossing a band', () => {
  const result = layout.justify(mixedRatios(3000, 11), { containerWidth: 1024, targetRowHeight: 220 });
  const rnd = random(5);
  for (let k = 0; k < 200; k++) {
    const top = rnd() * result.height;
    const bottom = top + rnd() * 2000;
    const span = layout.range(result, top, bottom);
    const expected = result.boxes.filter((b) => b.y + b.h >= top && b.y <= bottom).map((b) => b.index);
    assert.equal(span.end - span.start, expected.length);
    assert.equal(span.start, expected[0]);
  }
  assert.deepEqual(layout.range(result, result.height + 10, result.height + 500), { start: 0, end: 0 });
  assert.equal(layout.range(result, -500, 0).start, 0);
});

test('rowOf and neighbour', () => {
  const result = layout.justify(new Array(9).fill(1), { containerWidth: 300, targetRowHeight: 100, gap: 0 });
  assert.equal(result.rows.length, 3);
  assert.equal(layout.rowOf(result, 0), 0);
  assert.equal(layout.rowOf(result, 4), 1);
  assert.equal(layout.rowOf(result, 8), 2);
  assert.equal(layout.rowOf(result, 9), -1);
  assert.equal(layout.neighbour(result, 4, 'up'), 1);
  assert.equal(layout.neighbour(result, 4, 'down'), 7);
  assert.equal(layout.neighbour(result, 4, 'left'), 3);
  assert.equal(layout.neighbour(result, 4, 'right'), 5);
  assert.equal(layout.neighbour(result, 1, 'up'), 1);
  assert.equal(layout.neighbour(result, 8, 'right'), 8);
  assert.equal(layout.neighbour(result, 0, 'left'), 0);
});

test('100,000 items lay out quickly enough for a resize', () => {
  const ratios = mixedRatios(100000, 42);
  const started = process.hrtime.bigint();
  const result = layout.justify(ratios, { containerWidth: 1280, targetRowHeight: 220 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(result.boxes.length, 100000);
  // generous bound: this guards against accidental quadratic behaviour, not a benchmark
  assert.ok(ms < 2000, `layout of 100k took ${ms} ms`);
  assert.ok(result.height < 17e6, 'the grid stays under the browsers\' maximum element height');
});
