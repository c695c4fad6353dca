/*
 * hgsite layout: the justified grid as a pure function (aspect ratios in, boxes out). No DOM.
 *
 * Rows are filled greedily in order; a row is closed at the item that brings its justified height to the
 * target or below, keeping or dropping that last item, whichever gives the better row (closest to the
 * target height on a log scale, penalising rows that must be cropped to respect the min/max heights).
 * Full rows are exactly as wide as the container; the last, unfinished row keeps the target height.
 *
 * Extreme shapes are clamped: a tile is never narrower than minAspectRatio (tall images are cropped) and
 * never so wide that its row would be thinner than minRowHeight (panoramas are cropped); missing or zero
 * dimensions count as square. Boxes are whole pixels; gaps between boxes are exact.
 *
 * Classic script: attaches to window.hgsite.layout, and is module.exports in node.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  var DEFAULTS = {
    containerWidth: 1000,
    targetRowHeight: 220,
    gap: 4,
    padding: 0,
    minRowHeight: 0,        // 0: half the target
    maxRowHeight: 0,        // 0: 1.5 × the target
    minAspectRatio: 0.25,   // 1:4; taller images are cropped in the grid
    maxAspectRatio: Infinity,
    lastRow: 'left'         // 'left' | 'center' | 'justify' (stretch up to maxRowHeight)
  };

  /**
   * @typedef {{index: number, x: number, y: number, w: number, h: number}} Box
   * @typedef {{y: number, h: number, start: number, end: number, boxes: Box[]}} Row  start/end: item range
   * @typedef {{width: number, height: number, rows: Row[], boxes: Box[]}} Layout
   */

  function options(given) {
    var o = {};
    Object.keys(DEFAULTS).forEach(function (key) {
      var value = given && given[key];
      o[key] = value === undefined || value === null ? DEFAULTS[key] : value;
    });
    o.containerWidth = Math.max(1, Number(o.containerWidth) || 1);
    o.targetRowHeight = Math.max(1, Number(o.targetRowHeight) || DEFAULTS.targetRowHeight);
    o.gap = Math.max(0, Number(o.gap) || 0);
    o.padding = Math.max(0, Number(o.padding) || 0);
    o.minRowHeight = Math.min(Number(o.minRowHeight) || o.targetRowHeight / 2, o.targetRowHeight);
    o.maxRowHeight = Math.max(Number(o.maxRowHeight) || o.targetRowHeight * 1.5, o.targetRowHeight);
    return o;
  }

  /** Aspect ratios usable for the layout: invalid -> 1, then clamped to [minRatio, maxRatio]. */
  function clampRatios(ratios, minRatio, maxRatio) {
    var out = new Float64Array(ratios.length);
    for (var i = 0; i < ratios.length; i++) {
      var r = Number(ratios[i]);
      if (!(r > 0) || !isFinite(r)) r = 1;
      out[i] = r < minRatio ? minRatio : r > maxRatio ? maxRatio : r;
    }
    return out;
  }

  /**
   * Compute a justified layout.
   * @param {ArrayLike<number>} ratios  width / height of each item, in display order
   * @param {{containerWidth: number, targetRowHeight?: number, gap?: number, padding?: number,
   *          minRowHeight?: number, maxRowHeight?: number, minAspectRatio?: number,
   *          maxAspectRatio?: number, lastRow?: string}} opts
   * @returns {Layout}
   */
  function justify(ratios, opts) {
    var o = options(opts);
    var inner = Math.max(1, o.containerWidth - 2 * o.padding);
    var maxRatio = Math.max(o.minAspectRatio, Math.min(o.maxAspectRatio, inner / o.minRowHeight));
    var r = clampRatios(ratios || [], o.minAspectRatio, maxRatio);
    var n = r.length;
    var result = { width: o.containerWidth, height: 0, rows: [], boxes: new Array(n) };
    var y = o.padding;
    var start = 0;
    var sum = 0;

    function rowHeight(count, total) { return Math.max(1, inner - o.gap * (count - 1)) / total; }
    function clampHeight(h) { return Math.min(o.maxRowHeight, Math.max(o.minRowHeight, h)); }
    function cost(h) {
      var c = clampHeight(h);
      return Math.abs(Math.log(c / o.targetRowHeight)) + 2 * Math.abs(Math.log(h / c));
    }
    function emit(from, to, height, total, fill) {
      var rowH = Math.max(1, Math.round(height));
      var widthScale = fill ? Math.max(1, inner - o.gap * (to - from - 1)) / total : rowH;
      var offset = 0;
      if (!fill && o.lastRow === 'center') {
        offset = Math.max(0, (inner - (total * rowH + o.gap * (to - from - 1))) / 2);
      }
      var row = { y: y, h: rowH, start: from, end: to, boxes: [] };
      var xf = offset;
      for (var i = from; i < to; i++) {
        var wf = r[i] * widthScale;
        var left = o.padding + Math.round(xf);
        var right = o.padding + Math.round(xf + wf);
        if (fill && i === to - 1) right = o.padding + inner;
        var box = { index: i, x: left, y: y, w: Math.max(1, right - left), h: rowH };
        result.boxes[i] = box;
        row.boxes.push(box);
        xf += wf + o.gap;
      }
      result.rows.push(row);
      y += rowH + o.gap;
    }

    for (var i = 0; i < n; i++) {
      sum += r[i];
      var count = i - start + 1;
      var h = rowHeight(count, sum);
      if (h > o.targetRowHeight) continue;
      if (count > 1) {
        var without = rowHeight(count - 1, sum - r[i]);
        if (cost(without) < cost(h)) {
          emit(start, i, clampHeight(without), sum - r[i], true);
          start = i;
          sum = r[i];
          h = rowHeight(1, sum);
          if (h > o.targetRowHeight) continue;
        }
      }
      emit(start, i + 1, clampHeight(h), sum, true);
      start = i + 1;
      sum = 0;
    }
    if (start < n) {
      var natural = rowHeight(n - start, sum);
      if (o.lastRow === 'justify') {
        emit(start, n, Math.min(natural, o.maxRowHeight), sum, natural <= o.maxRowHeight);
      } else {
        emit(start, n, Math.min(o.targetRowHeight, natural), sum, false);
      }
    }
    result.height = n ? y - o.gap + o.padding : 0;
    return result;
  }

  /**
   * A justified layout in sections (months): each section starts a new row under a header band.
   * @param {ArrayLike<number>} ratios
   * @param {Array<{start: number}>} sections  ascending item indices where a section starts (first 0)
   * @param {Object} opts  as for justify, plus headerHeight (px, default 40)
   * @returns {Layout & {headers: Array<{index: number, y: number, h: number, start: number, end: number}>}}
   *   headers[i] is the band above section i (index), which holds items start..end-1
   */
  function sections(ratios, sections, opts) {
    var o = options(opts);
    var given = opts && opts.headerHeight;
    var headerHeight = given === undefined || given === null ? 40 : Math.max(0, Number(given) || 0);
    var n = ratios ? ratios.length : 0;
    var result = { width: o.containerWidth, height: 0, rows: [], boxes: new Array(n), headers: [] };
    var y = o.padding;
    var inner = Object.assign({}, opts, { padding: 0, containerWidth: o.containerWidth - 2 * o.padding });
    for (var s = 0; s < sections.length; s++) {
      var start = Math.max(0, sections[s].start);
      var end = s + 1 < sections.length ? Math.min(n, sections[s + 1].start) : n;
      if (end <= start) continue;
      result.headers.push({ index: s, y: y, h: headerHeight, start: start, end: end });
      y += headerHeight;
      var part = justify(Array.prototype.slice.call(ratios, start, end), inner);
      for (var r = 0; r < part.rows.length; r++) {
        var row = part.rows[r];
        row.y += y;
        row.start += start;
        row.end += start;
        for (var b = 0; b < row.boxes.length; b++) {
          var box = row.boxes[b];
          box.index += start;
          box.x += o.padding;
          box.y = row.y;
          result.boxes[box.index] = box;
        }
        result.rows.push(row);
      }
      y += part.height + o.gap;
    }
    result.height = result.headers.length ? y - o.gap + o.padding : 0;
    return result;
  }

  /**
   * The headers whose band intersects [top, bottom] (binary search).
   * @returns {Array<{index: number, y: number, h: number, start: number, end: number}>}
   */
  function headersIn(layout, top, bottom) {
    var list = layout.headers || [];
    var lo = 0;
    var hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].y + list[mid].h < top) lo = mid + 1;
      else hi = mid;
    }
    var out = [];
    for (var i = lo; i < list.length && list[i].y <= bottom; i++) out.push(list[i]);
    return out;
  }

  /**
   * The header of the section at vertical position y (the last one starting at or above y), or null.
   */
  function headerAt(layout, y) {
    var list = layout.headers || [];
    var lo = 0;
    var hi = list.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].y <= y) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found >= 0 ? list[found] : list.length ? list[0] : null;
  }

  /**
   * Index of the row holding item `index` (binary search), or -1.
   * @param {Layout} layout
   * @param {number} index
   * @returns {number}
   */
  function rowOf(layout, index) {
    var rows = layout.rows;
    var lo = 0;
    var hi = rows.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (index < rows[mid].start) hi = mid - 1;
      else if (index >= rows[mid].end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /**
   * The items whose rows intersect the vertical band [top, bottom] (px from the layout's top).
   * @param {Layout} layout
   * @param {number} top
   * @param {number} bottom
   * @returns {{start: number, end: number}} item indices, end exclusive; start === end when none
   */
  function range(layout, top, bottom) {
    var rows = layout.rows;
    var lo = 0;
    var hi = rows.length;
    while (lo < hi) {                       // first row whose bottom edge is below `top`
      var mid = (lo + hi) >> 1;
      if (rows[mid].y + rows[mid].h < top) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= rows.length || rows[lo].y > bottom) return { start: 0, end: 0 };
    var last = lo;
    while (last + 1 < rows.length && rows[last + 1].y <= bottom) last++;
    return { start: rows[lo].start, end: rows[last].end };
  }

  /**
   * The item to move to with arrow keys: 'left'/'right' step in order, 'up'/'down' pick the box of the
   * previous/next row whose centre is closest horizontally. Returns `index` itself at the edges.
   * @param {Layout} layout
   * @param {number} index
   * @param {'left'|'right'|'up'|'down'} direction
   * @returns {number}
   */
  function neighbour(layout, index, direction) {
    var n = layout.boxes.length;
    if (direction === 'left') return Math.max(0, index - 1);
    if (direction === 'right') return Math.min(n - 1, index + 1);
    var row = rowOf(layout, index);
    var target = layout.rows[row + (direction === 'up' ? -1 : 1)];
    if (row < 0 || !target) return index;
    var box = layout.boxes[index];
    var centre = box.x + box.w / 2;
    var best = target.start;
    var bestDistance = Infinity;
    for (var i = target.start; i < target.end; i++) {
      var b = layout.boxes[i];
      var distance = Math.abs(b.x + b.w / 2 - centre);
      if (distance < bestDistance) { best = i; bestDistance = distance; }
    }
    return best;
  }

  var api = {
    justify: justify, sections: sections, headersIn: headersIn, headerAt: headerAt,
    range: range, rowOf: rowOf, neighbour: neighbour, DEFAULTS: DEFAULTS
  };
  hgsite.layout = api;

  if (typeof module !== 'undefined' && module.exports) module.exports = api;
}(typeof window !== 'undefined' ? window : {}));
