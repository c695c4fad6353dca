/*
 * hgsite grid: the virtualized justified grid. Only tiles near the viewport are in the DOM, so it stays
 * smooth at 100,000 items. Every tile carries data-id="<id>" (a public contract for tests and links).
 * Needs dom.js, entries.js, format.js, layout.js and ui.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;
  var h = hgsite.h;
  var ui = hgsite.ui;
  var button = ui.button;
  var dpr = ui.dpr;
  var px = ui.px;

  // ---------------------------------------------------------------------------------------------------
  // Grid: justified rows, only the tiles near the viewport exist in the DOM

  /** Target row height for a container width: ~120 px on phones, ~220 px on desktops. */
  function rowHeightFor(width) {
    return width < 480 ? 120 : width < 800 ? 160 : 220;
  }

  /**
   * @param {{loaded: Set<string>, insetTop: function(): number, decorate: (function(Element, Object)|undefined)}} options
   *   loaded: URLs of images already loaded (shared with the viewer); insetTop: height of the sticky header;
   *   decorate(el, entry): called for every tile made (extensions mark selections and the like)
   * @constructor
   */
  function Grid(options) {
    this.loaded = options.loaded;
    this.insetTop = options.insetTop || function () { return 0; };
    this.decorate = options.decorate || null;
    this.el = h('div.grid', { 'aria-label': 'Photos and videos' });
    this.entries = [];
    this.layout = null;
    this.tiles = new Map();       // index -> {el, img, entry, px, want}
    this.sections = null;         // [{start, label}]: date headers (timeline.js), or null
    this.headerEls = new Map();   // section index -> header element
    this.width = 0;
    this.frame = 0;
    this.settleTimer = 0;
    this.lastScrollY = 0;
    this.suspended = false;
    this.bindEvents();
  }

  Grid.prototype.bindEvents = function () {
    var self = this;
    root.addEventListener('scroll', function () { self.schedule(); }, { passive: true });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(function () { self.resized(); }).observe(this.el);
    } else {
      root.addEventListener('resize', function () { self.resized(); });
    }
    this.el.addEventListener('load', function (event) { self.imageDone(event.target, true); }, true);
    this.el.addEventListener('error', function (event) { self.imageDone(event.target, false); }, true);
    this.el.addEventListener('keydown', function (event) { self.keydown(event); });
  };

  /**
   * Show these entries (in this order), keeping nothing of the previous list.
   * @param {Array<Object>} entries
   * @param {{sections?: Array<Section>|null, headerHeight?: number}} [options]  sections: headed groups;
   *   headerHeight: of their headers, when they hold more than a line (a group's detail)
   * @typedef {{start: number, label: string, key?: string, count?: string, detail?: string,
   *            action?: {label: string, run: function()}}} Section
   *   count: the text beside the label (else the number of items); detail: a second line;
   *   action: a button in the header
   */
  Grid.prototype.setEntries = function (entries, options) {
    this.entries = entries;
    this.ratios = entries.map(hgsite.aspectRatio);
    this.sections = options && options.sections && options.sections.length ? options.sections : null;
    this.headerHeight = options && options.headerHeight ? options.headerHeight : 0;
    this.tiles.forEach(function (tile) { tile.el.remove(); });
    this.tiles.clear();
    this.headerEls.forEach(function (el) { el.remove(); });
    this.headerEls.clear();
    this.layout = null;
    this.relayout();
  };

  Grid.prototype.resized = function () {
    if (this.suspended) return;
    if (Math.floor(this.el.clientWidth) !== this.width) this.relayout();
  };

  /** Stop reacting to size changes (the viewer locks page scrolling, which may hide the scrollbar). */
  Grid.prototype.suspend = function () { this.suspended = true; };

  Grid.prototype.resume = function () {
    this.suspended = false;
    this.resized();
  };

  /** Recompute the layout for the current width, keeping the first visible item where it was. */
  Grid.prototype.relayout = function () {
    var width = Math.floor(this.el.clientWidth);
    if (!width) return;
    var anchor = this.layout ? this.anchor() : null;
    var narrow = width < 480;
    this.width = width;
    var opts = { containerWidth: width, targetRowHeight: rowHeightFor(width), gap: narrow ? 2 : 4, headerHeight: this.headerHeight || (narrow ? 36 : 44) };
    this.layout = this.sections ? hgsite.layout.sections(this.ratios, this.sections, opts) : hgsite.layout.justify(this.ratios, opts);
    this.el.style.height = px(this.layout.height);
    if (anchor) {
      var box = this.layout.boxes[anchor.index];
      root.scrollTo(0, Math.max(0, this.top() + box.y - anchor.offset));
    }
    var self = this;
    this.tiles.forEach(function (tile, index) { self.place(tile, index); });
    this.headerEls.forEach(function (el) { el.remove(); });
    this.headerEls.clear();
    this.update();
    this.el.dispatchEvent(new CustomEvent('hgsite:layout'));   // the timeline scrubber listens
  };

  /** @returns {number} the grid's top edge in document coordinates */
  Grid.prototype.top = function () {
    return this.el.getBoundingClientRect().top + root.pageYOffset;
  };

  /** @returns {{index: number, offset: number}|null} first item at the top of the viewport */
  Grid.prototype.anchor = function () {
    var top = root.pageYOffset + this.insetTop() - this.top();
    if (top <= 0 || !this.layout.boxes.length) return null;
    var span = hgsite.layout.range(this.layout, top, top);
    if (span.end <= span.start) return null;
    return { index: span.start, offset: this.layout.boxes[span.start].y - top + this.insetTop() };
  };

  Grid.prototype.schedule = function () {
    var self = this;
    if (this.frame) return;
    this.frame = root.requestAnimationFrame(function () {
      self.frame = 0;
      self.update();
    });
  };

  /**
   * Render the tiles of the rows near the viewport and drop the others. While the page scrolls very fast
   * (scrollbar drag through 100k items) tiles are placed without loading images until scrolling settles.
   */
  Grid.prototype.update = function () {
    if (!this.layout) return;
    var viewport = root.innerHeight;
    var scrollY = root.pageYOffset;
    var fast = Math.abs(scrollY - this.lastScrollY) > viewport * 2;
    this.lastScrollY = scrollY;
    var top = scrollY - this.top();
    var margin = fast ? 0 : viewport;
    var span = hgsite.layout.range(this.layout, top - margin, top + viewport + margin);
    var focused = doc.activeElement;
    var self = this;
    this.tiles.forEach(function (tile, index) {
      if ((index < span.start || index >= span.end) && tile.el !== focused) {
        tile.el.remove();
        self.tiles.delete(index);
      }
    });
    var fragment = doc.createDocumentFragment();
    for (var i = span.start; i < span.end; i++) {
      var tile = this.tiles.get(i);
      if (!tile) {
        tile = this.createTile(this.entries[i], i);
        this.tiles.set(i, tile);
        this.place(tile, i);
        fragment.appendChild(tile.el);
      }
      if (!fast) this.loadImage(tile);
    }
    this.updateHeaders(top - margin, top + viewport + margin, fragment);
    this.el.appendChild(fragment);
    clearTimeout(this.settleTimer);
    if (fast) this.settleTimer = setTimeout(function () { self.update(); }, 120);
  };

  /** Render the date headers in the band [top, bottom] (grid coordinates), drop the others. */
  Grid.prototype.updateHeaders = function (top, bottom, fragment) {
    if (!this.layout.headers) return;
    var keep = new Map();
    var self = this;
    hgsite.layout.headersIn(this.layout, top, bottom).forEach(function (header) {
      var el = self.headerEls.get(header.index);
      if (!el) {
        el = self.createHeader(self.sections[header.index], header);
        el.style.top = px(header.y);
        el.style.height = px(header.h);
        fragment.appendChild(el);
      }
      keep.set(header.index, el);
    });
    this.headerEls.forEach(function (el, index) { if (!keep.has(index)) el.remove(); });
    this.headerEls = keep;
  };

  /** A section's header: its label and count, and a group's detail line and action when it has them. */
  Grid.prototype.createHeader = function (section, header) {
    var line = h('span.grid-header-line', {}, [
      h('span.grid-header-label', { role: 'heading', 'aria-level': '2', text: section.label }),
      h('span.grid-header-count', { text: section.count || hgsite.formatNumber(header.end - header.start) })
    ]);
    if (section.action) {
      var button = h('button.tagbar-button.grid-header-action', { type: 'button', text: section.action.label });
      button.addEventListener('click', section.action.run);
      line.appendChild(button);
    }
    if (!section.detail) {
      return h('div.grid-header', { 'data-section': section.key || '' }, [line]);
    }
    return h('div.grid-header.grid-header-group', { 'data-section': section.key || '' }, [
      line, h('span.grid-header-detail', { text: section.detail, title: section.detail })
    ]);
  };

  Grid.prototype.createTile = function (entry, index) {
    var name = hgsite.entryName(entry);
    var img = h('img.tile-img', { alt: name, loading: 'lazy', decoding: 'async', draggable: 'false' });
    var when = entry.date ? hgsite.formatDate(entry.date, { weekday: false, seconds: false, offset: false }) : '';
    var title = when ? name + ' · ' + when : name;
    var el = h('a.tile', {
      href: hgsite.formatRoute('view', { id: entry.id }),
      'data-id': entry.id,
      'data-index': index,
      title: title
    }, [img]);
    if (entry.type === 'video') {
      el.classList.add('tile-video');
      var duration = hgsite.formatDuration(entry.duration);
      el.appendChild(h('span.tile-badge', { 'aria-hidden': 'true', text: '▶' + (duration ? ' ' + duration : '') }));
    }
    if (this.decorate) this.decorate(el, entry);
    return { el: el, img: img, entry: entry, px: 0 };
  };

  Grid.prototype.place = function (tile, index) {
    var box = this.layout.boxes[index];
    var style = tile.el.style;
    style.left = px(box.x);
    style.top = px(box.y);
    style.width = px(box.w);
    style.height = px(box.h);
    tile.need = hgsite.coverEdge(tile.entry.width, tile.entry.height, box.w, box.h) * dpr();
  };

  /** Point the tile's image at the smallest preview that covers it; only ever upgrades. */
  Grid.prototype.loadImage = function (tile) {
    var preview = hgsite.pickPreview(tile.entry, tile.need);
    if (!preview) {
      tile.el.classList.add('is-broken');
      return;
    }
    if (preview.px <= tile.px) return;
    tile.px = preview.px;
    tile.img.src = preview.url;
  };

  Grid.prototype.imageDone = function (img, ok) {
    if (!img.classList || !img.classList.contains('tile-img')) return;
    var tile = img.parentNode;
    if (ok) {
      this.loaded.add(img.getAttribute('src'));
      tile.classList.add('is-loaded');
    } else {
      tile.classList.add('is-broken');
    }
  };

  Grid.prototype.keydown = function (event) {
    var directions = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
    var direction = directions[event.key];
    var tile = event.target.closest && event.target.closest('.tile');
    if (!direction || !tile || !this.layout || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    var index = hgsite.layout.neighbour(this.layout, Number(tile.getAttribute('data-index')), direction);
    this.reveal(index, { focus: true });
  };

  /**
   * Scroll item `index` into view if it is not (centred when `center`), render it, optionally focus it.
   * @param {number} index
   * @param {{focus?: boolean, center?: boolean}} [options]
   */
  Grid.prototype.reveal = function (index, options) {
    var opts = options || {};
    if (!this.layout || !this.layout.boxes[index]) return;
    var box = this.layout.boxes[index];
    var top = this.top() + box.y;
    var viewTop = root.pageYOffset + this.insetTop();
    var viewBottom = root.pageYOffset + root.innerHeight;
    if (top < viewTop || top + box.h > viewBottom) {
      var target = opts.center
        ? top - (root.innerHeight + this.insetTop() - box.h) / 2
        : top < viewTop ? top - this.insetTop() - 8 : top + box.h - root.innerHeight + 8;
      root.scrollTo(0, Math.max(0, target));
    }
    this.update();
    var tile = this.tiles.get(index);
    if (opts.focus && tile) tile.el.focus({ preventScroll: true });
  };

  hgsite.Grid = Grid;
  if (typeof module !== 'undefined' && module.exports) module.exports = Grid;
}(typeof window !== 'undefined' ? window : {}));
