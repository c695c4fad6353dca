/*
 * hgsite timeline: the grid's date headers (one per month) and the scrubber on the right edge that jumps
 * through the years and months, like the fast-scroll bar of a phone's photo app.
 *
 * months(list) is pure and tested in node; the scrubber needs the page (dom.js, layout.js, grid.js and
 * app.js first). The scrubber only reads the grid's layout: the grid stays virtualized. The grid's
 * grouping into months is registered with app.groupBy.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];

  /**
   * Sections of consecutive entries taken in the same month, in list order.
   * @param {Array<{date?: string}>} list  entries in date order (either direction)
   * @returns {Array<{start: number, key: string, label: string, year: string, short: string}>}
   *   key 'YYYY-MM' ('' for entries without a date), label 'May 2019', year '2019', short 'May'
   */
  function months(list) {
    var out = [];
    var previous = null;
    for (var i = 0; i < list.length; i++) {
      var date = list[i].date;
      var key = typeof date === 'string' && /^\d{4}-\d{2}/.test(date) ? date.slice(0, 7) : '';
      if (key === previous) continue;
      previous = key;
      var month = Number(key.slice(5, 7));
      var valid = key !== '' && month >= 1 && month <= 12;
      out.push({
        start: i,
        key: key,
        label: valid ? MONTHS[month - 1] + ' ' + key.slice(0, 4) : 'No date',
        year: valid ? key.slice(0, 4) : '',
        short: valid ? MONTHS[month - 1].slice(0, 3) : ''
      });
    }
    return out;
  }

  /**
   * Marks for the scrubber: the first section of each year, at its fraction of the layout's height.
   * Marks closer than minGap (as a fraction) to the previous one kept are left out.
   * @param {Array<{year: string}>} sections
   * @param {{height: number, headers: Array<{index: number, y: number}>}} layout
   * @param {number} minGap
   * @returns {Array<{year: string, index: number, at: number}>}
   */
  function yearMarks(sections, layout, minGap) {
    var marks = [];
    var last = -Infinity;
    var seen = '';
    (layout.headers || []).forEach(function (header) {
      var section = sections[header.index];
      if (!section || !section.year || section.year === seen) return;
      seen = section.year;
      var at = layout.height > 0 ? header.y / layout.height : 0;
      if (at - last < minGap) return;
      marks.push({ year: section.year, index: header.index, at: at });
      last = at;
    });
    return marks;
  }

  /**
   * Whether a list is in date order (newest or oldest first), so that month headers make sense; a
   * ranked list (similar photos, order by size) is not.
   * @param {Array<{date?: string}>} list
   * @returns {boolean}
   */
  function dateOrdered(list) {
    var down = true;
    var up = true;
    var previous = null;
    for (var i = 0; i < list.length && (down || up); i++) {
      var date = typeof list[i].date === 'string' ? list[i].date.slice(0, 19) : '';
      if (previous !== null) {
        if (date > previous) down = false;
        if (date < previous) up = false;
      }
      previous = date;
    }
    return down || up;
  }

  var api = { months: months, yearMarks: yearMarks, dateOrdered: dateOrdered };
  hgsite.timeline = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // The scrubber (page only)

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app) return;
  var h = hgsite.h;

  app.groupBy(function (list) { return dateOrdered(list) ? months(list) : null; });

  /** @constructor */
  function Scrubber(grid) {
    this.grid = grid;
    this.track = h('div.scrubber-track');
    this.thumb = h('div.scrubber-thumb', { 'aria-hidden': 'true' });
    this.bubble = h('div.scrubber-bubble', { 'aria-hidden': 'true' });
    this.el = h('nav.scrubber', { 'aria-label': 'Timeline', hidden: true }, [this.track, this.thumb, this.bubble]);
    this.dragging = false;
    this.scrollY = 0;
    this.geometry = null;
    this.hideTimer = 0;
    this.frame = 0;
    doc.body.appendChild(this.el);
    this.bind();
  }

  Scrubber.prototype.bind = function () {
    var self = this;
    this.grid.el.addEventListener('hgsite:layout', function () { self.build(); });
    root.addEventListener('scroll', function () { self.schedule(); }, { passive: true });
    root.addEventListener('resize', function () { self.build(); });
    this.el.addEventListener('pointerdown', function (event) {
      if (event.target.closest && event.target.closest('.scrubber-year')) return;
      event.preventDefault();
      self.dragging = true;
      self.el.classList.add('is-dragging');
      if (self.el.setPointerCapture) self.el.setPointerCapture(event.pointerId);
      self.jump(event.clientY);
    });
    this.el.addEventListener('pointermove', function (event) {
      if (self.dragging) self.jump(event.clientY);
      else if (event.pointerType === 'mouse') self.preview(event.clientY);
    });
    var stop = function () {
      self.dragging = false;
      self.el.classList.remove('is-dragging');
      self.settle();
    };
    this.el.addEventListener('pointerup', stop);
    this.el.addEventListener('pointercancel', stop);
    this.el.addEventListener('pointerleave', function () { if (!self.dragging) self.settle(); });
  };

  /** @returns {boolean} the grid is shown, in date sections, and long enough to need a scrubber */
  Scrubber.prototype.usable = function () {
    var layout = this.grid.layout;
    return !!(layout && layout.headers && layout.headers.length && !this.grid.el.hidden &&
      layout.height > root.innerHeight * 3 && !doc.documentElement.classList.contains('is-viewing'));
  };

  /** Rebuild the year marks for the grid's current layout. */
  Scrubber.prototype.build = function () {
    this.el.hidden = !this.usable();
    doc.documentElement.classList.toggle('has-scrubber', !this.el.hidden);
    if (this.el.hidden) return;
    var header = doc.getElementById('hgsite-header');
    this.el.style.top = (header ? header.getBoundingClientRect().height : 0) + 'px';
    this.measure();
    var marks = yearMarks(this.grid.sections, this.grid.layout, 18 / this.geometry.trackHeight);
    var self = this;
    this.track.textContent = '';
    marks.forEach(function (mark) {
      var button = h('button.scrubber-year', { type: 'button', text: mark.year, title: 'Go to ' + mark.year });
      button.style.top = (mark.at * 100).toFixed(3) + '%';
      button.addEventListener('click', function () { self.scrollToSection(mark.index); });
      self.track.appendChild(button);
    });
    this.update(true);
  };

  Scrubber.prototype.schedule = function () {
    var self = this;
    if (this.frame) return;
    this.frame = root.requestAnimationFrame(function () {
      self.frame = 0;
      // the grid's frame callback runs first and has read the scroll position: reading it again here,
      // after the grid changed the page, would force a layout
      self.scrollY = self.grid.lastScrollY;
      if (self.el.hidden !== !self.usable()) self.build();
      self.update();
    });
  };

  /**
   * Measure what scrolling does not change (read once per layout, so that a scroll frame forces no
   * layout): the track, the scrubber, the grid's top and the scrollable distance.
   */
  Scrubber.prototype.measure = function () {
    this.scrollY = root.pageYOffset;
    var track = this.track.getBoundingClientRect();
    var el = this.el.getBoundingClientRect();
    this.geometry = {
      trackTop: track.top, trackHeight: Math.max(1, track.height), elTop: el.top, elHeight: el.height,
      gridTop: this.grid.top(), max: Math.max(0, doc.documentElement.scrollHeight - root.innerHeight)
    };
  };

  /** The fraction of the scrollable distance the page is at. */
  Scrubber.prototype.fraction = function () {
    var max = this.geometry.max;
    return max > 0 ? Math.min(1, Math.max(0, this.scrollY / max)) : 0;
  };

  /** Move the thumb to the scroll position and (unless quiet) show the month there while scrolling. */
  Scrubber.prototype.update = function (quiet) {
    if (this.el.hidden || !this.geometry) return;
    var fraction = this.fraction();
    this.thumb.style.top = (fraction * 100).toFixed(3) + '%';
    if (quiet) return;
    var section = this.sectionAtScroll(this.scrollY + root.innerHeight / 3);
    this.showBubble(section ? section.label : '', this.geometry.trackTop + fraction * this.geometry.trackHeight);
    if (!this.dragging) this.settle();
  };

  Scrubber.prototype.sectionAtScroll = function (pageY) {
    var header = hgsite.layout.headerAt(this.grid.layout, pageY - this.geometry.gridTop);
    return header ? this.grid.sections[header.index] : null;
  };

  Scrubber.prototype.showBubble = function (text, clientY) {
    var g = this.geometry;
    if (this.bubble.textContent !== text) this.bubble.textContent = text;
    this.bubble.style.top = Math.max(0, Math.min(g.elHeight - 28, clientY - g.elTop - 14)) + 'px';
    if (!this.el.classList.contains('is-active')) this.el.classList.add('is-active');
  };

  /** Hide the bubble a moment after scrolling stops. */
  Scrubber.prototype.settle = function () {
    var self = this;
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(function () { if (!self.dragging) self.el.classList.remove('is-active'); }, 1200);
  };

  /** @returns {number} the fraction of the track under clientY */
  Scrubber.prototype.at = function (clientY) {
    var g = this.geometry;
    return Math.min(1, Math.max(0, (clientY - g.trackTop) / g.trackHeight));
  };

  /** Scroll to the fraction of the track under clientY. */
  Scrubber.prototype.jump = function (clientY) {
    root.scrollTo(0, Math.round(this.at(clientY) * this.geometry.max));
  };

  /** Show which month lies under the mouse pointer, without scrolling. */
  Scrubber.prototype.preview = function (clientY) {
    var section = this.sectionAtScroll(this.at(clientY) * this.geometry.max + root.innerHeight / 3);
    this.showBubble(section ? section.label : '', clientY);
  };

  Scrubber.prototype.scrollToSection = function (index) {
    var header = (this.grid.layout.headers || []).filter(function (x) { return x.index === index; })[0];
    if (!header) return;
    var inset = doc.getElementById('hgsite-header');
    var offset = inset ? inset.getBoundingClientRect().height : 0;
    root.scrollTo(0, Math.max(0, this.geometry.gridTop + header.y - offset));
  };

  var scrubber = null;
  app.on('data', function () {
    scrubber = new Scrubber(app.grid);
  });
  app.on('route', function () {
    if (scrubber) root.requestAnimationFrame(function () { scrubber.build(); });
  });
}(typeof window !== 'undefined' ? window : {}));
