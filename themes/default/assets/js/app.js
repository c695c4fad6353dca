/*
 * hgsite app: router dispatch, the virtualized justified grid, and the viewer.
 *
 * Needs core.js and layout.js loaded first (classic scripts, in order). Later views (search, map, ...) are
 * further classic scripts loaded after this one; they register with hgsite.app.addRoute(name, spec,
 * handler) before the page starts (the app starts on DOMContentLoaded, after every deferred script).
 *
 * Database text (file names, cameras, tags) only ever reaches the page through textContent and
 * setAttribute (hgsite.h), never innerHTML.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;
  var h = hgsite.h;

  // ---------------------------------------------------------------------------------------------------
  // Small DOM helpers

  var SVG = 'http://www.w3.org/2000/svg';
  var ICONS = {
    prev: 'M15 5l-7 7 7 7',
    next: 'M9 5l7 7-7 7',
    close: 'M6 6l12 12M18 6L6 18',
    info: 'M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18zM12 11v6M12 7.5v.5'
  };

  /** @returns {SVGElement} a stroked 24×24 icon, hidden from assistive technology */
  function icon(name) {
    var svg = doc.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'icon');
    var path = doc.createElementNS(SVG, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function button(cls, label, iconName) {
    return h('button.' + cls, { type: 'button', 'aria-label': label, title: label }, [icon(iconName)]);
  }

  function dpr() { return root.devicePixelRatio || 1; }

  function px(value) { return value + 'px'; }

  // ---------------------------------------------------------------------------------------------------
  // Grid: justified rows, only the tiles near the viewport exist in the DOM

  /** Target row height for a container width: ~120 px on phones, ~220 px on desktops. */
  function rowHeightFor(width) {
    return width < 480 ? 120 : width < 800 ? 160 : 220;
  }

  /**
   * @param {{loaded: Set<string>, insetTop: function(): number}} options
   *   loaded: URLs of images already loaded (shared with the viewer); insetTop: height of the sticky header
   * @constructor
   */
  function Grid(options) {
    this.loaded = options.loaded;
    this.insetTop = options.insetTop || function () { return 0; };
    this.el = h('div.grid', { 'aria-label': 'Photos and videos' });
    this.entries = [];
    this.layout = null;
    this.tiles = new Map();       // index -> {el, img, entry, px, want}
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

  /** Show these entries (in this order), keeping nothing of the previous list. */
  Grid.prototype.setEntries = function (entries) {
    this.entries = entries;
    this.ratios = entries.map(hgsite.aspectRatio);
    this.tiles.forEach(function (tile) { tile.el.remove(); });
    this.tiles.clear();
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
    this.layout = hgsite.layout.justify(this.ratios, {
      containerWidth: width,
      targetRowHeight: rowHeightFor(width),
      gap: narrow ? 2 : 4
    });
    this.el.style.height = px(this.layout.height);
    if (anchor) {
      var box = this.layout.boxes[anchor.index];
      root.scrollTo(0, Math.max(0, this.top() + box.y - anchor.offset));
    }
    var self = this;
    this.tiles.forEach(function (tile, index) { self.place(tile, index); });
    this.update();
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
    this.el.appendChild(fragment);
    clearTimeout(this.settleTimer);
    if (fast) this.settleTimer = setTimeout(function () { self.update(); }, 120);
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

  // ---------------------------------------------------------------------------------------------------
  // Viewer: full-screen overlay over the grid

  /**
   * @param {{loaded: Set<string>, onStep: function(number), onClose: function()}} options
   *   onStep(index) asks the app to show another item (the app updates the hash, then calls show);
   *   onClose() asks the app to leave the viewer.
   * @constructor
   */
  function Viewer(options) {
    this.loaded = options.loaded;
    this.onStep = options.onStep;
    this.onClose = options.onClose;
    this.list = [];
    this.index = -1;
    this.isOpen = false;
    this.infoOpen = false;
    this.token = 0;
    this.preloads = [];
    this.el = null;
  }

  Viewer.prototype.build = function () {
    var self = this;
    this.img = h('img.viewer-img', { alt: '', decoding: 'async', draggable: 'false' });
    this.badge = h('span.viewer-badge', { 'aria-hidden': 'true', hidden: true });
    this.message = h('p.viewer-message', { hidden: true });
    this.stage = h('div.viewer-stage', {}, [this.img, this.badge, this.message]);
    this.caption = h('span.viewer-caption');
    this.counter = h('span.viewer-counter');
    this.closeButton = button('viewer-button', 'Close (Esc)', 'close');
    this.infoButton = button('viewer-button', 'Details (i)', 'info');
    this.infoButton.setAttribute('aria-controls', 'hgsite-viewer-info');
    this.infoButton.setAttribute('aria-expanded', 'false');
    this.prevButton = button('viewer-nav.viewer-prev', 'Previous (←)', 'prev');
    this.nextButton = button('viewer-nav.viewer-next', 'Next (→)', 'next');
    this.infoList = h('dl.info-list');
    this.info = h('aside.viewer-info', { id: 'hgsite-viewer-info', 'aria-label': 'Details', hidden: true },
      [h('h2.info-heading', { text: 'Details' }), this.infoList]);
    var bar = h('div.viewer-bar', {}, [
      this.closeButton, h('div.viewer-title', {}, [this.caption, this.counter]), this.infoButton]);
    this.el = h('div.viewer', { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Viewer', tabindex: '-1', hidden: true },
      [this.stage, this.prevButton, this.nextButton, bar, this.info]);

    this.closeButton.addEventListener('click', function () { self.onClose(); });
    this.infoButton.addEventListener('click', function () { self.toggleInfo(); });
    this.prevButton.addEventListener('click', function () { self.step(-1); });
    this.nextButton.addEventListener('click', function () { self.step(1); });
    this.img.addEventListener('error', function () { self.failed(); });
    this.onKey = function (event) { self.keydown(event); };
    var frame = 0;
    this.onResize = function () {
      if (frame) return;
      frame = root.requestAnimationFrame(function () {
        frame = 0;
        if (self.isOpen) self.render();
      });
    };
    this.bindSwipe();
    doc.body.appendChild(this.el);
  };

  /** Open on item `index` of `list`. */
  Viewer.prototype.open = function (list, index) {
    if (!this.el) this.build();
    this.list = list;
    var opening = !this.isOpen;
    if (opening) {
      this.isOpen = true;
      this.el.hidden = false;
      doc.addEventListener('keydown', this.onKey);
      root.addEventListener('resize', this.onResize);
    }
    this.show(index);
    if (opening) this.el.focus({ preventScroll: true });
  };

  Viewer.prototype.close = function () {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.token++;
    this.preloads = [];
    this.el.hidden = true;
    this.img.removeAttribute('src');
    doc.removeEventListener('keydown', this.onKey);
    root.removeEventListener('resize', this.onResize);
  };

  /** @returns {Object|undefined} the entry on screen */
  Viewer.prototype.current = function () { return this.list[this.index]; };

  Viewer.prototype.show = function (index) {
    this.index = Math.max(0, Math.min(this.list.length - 1, index));
    var entry = this.current();
    if (!entry) return;
    var name = hgsite.entryName(entry);
    var when = entry.date ? hgsite.formatDate(entry.date, { seconds: false, offset: false }) : '';
    this.caption.textContent = when ? name + ' · ' + when : name;
    this.counter.textContent = hgsite.formatNumber(this.index + 1) + ' / ' + hgsite.formatNumber(this.list.length);
    this.img.alt = name;
    this.el.setAttribute('aria-label', name);
    this.prevButton.disabled = this.index === 0;
    this.nextButton.disabled = this.index === this.list.length - 1;
    var duration = entry.type === 'video' ? hgsite.formatDuration(entry.duration) : '';
    this.badge.hidden = entry.type !== 'video';
    this.badge.textContent = '▶' + (duration ? ' ' + duration : '');
    if (this.infoOpen) this.fillInfo(entry);
    this.render();
    this.preload();
  };

  /** @returns {{w: number, h: number}} the CSS size the current entry is shown at */
  Viewer.prototype.fit = function (entry) {
    var rect = this.stage.getBoundingClientRect();
    return hgsite.containSize(Number(entry.width), Number(entry.height), rect.width, rect.height, false);
  };

  /** Size the image for the stage; show an already-loaded smaller preview, then swap in the best one. */
  Viewer.prototype.render = function () {
    var entry = this.current();
    var token = ++this.token;
    var size = this.fit(entry);
    this.img.style.width = px(size.w);
    this.img.style.height = px(size.h);
    this.message.hidden = true;
    var best = hgsite.pickPreview(entry, Math.max(size.w, size.h) * dpr());
    if (!best) return this.failed();
    if (this.img.getAttribute('src') === best.url) return;
    if (this.loaded.has(best.url)) {
      this.img.src = best.url;
      return;
    }
    var placeholder = this.placeholder(entry, best);
    if (placeholder) this.img.src = placeholder.url;
    else this.img.removeAttribute('src');
    var self = this;
    var loader = new Image();
    loader.decoding = 'async';
    loader.onload = function () {
      self.loaded.add(best.url);
      if (token === self.token) self.img.src = best.url;
    };
    loader.onerror = function () {
      if (token === self.token && !placeholder) self.failed();
    };
    loader.src = best.url;
    this.preloads.push(loader);
  };

  /** The largest already-loaded preview smaller than `best`, if any. */
  Viewer.prototype.placeholder = function (entry, best) {
    var list = hgsite.previewList(entry);
    for (var i = list.length - 1; i >= 0; i--) {
      if (list[i].px < best.px && this.loaded.has(list[i].url)) return list[i];
    }
    return null;
  };

  Viewer.prototype.failed = function () {
    if (!this.isOpen) return;
    this.img.removeAttribute('src');
    this.message.textContent = 'This preview could not be loaded.';
    this.message.hidden = false;
  };

  /** Start loading the previews of the neighbours at the size they will be shown. */
  Viewer.prototype.preload = function () {
    var self = this;
    this.preloads = this.preloads.slice(-2);
    [1, -1, 2].forEach(function (delta) {
      var entry = self.list[self.index + delta];
      if (!entry) return;
      var size = self.fit(entry);
      var preview = hgsite.pickPreview(entry, Math.max(size.w, size.h) * dpr());
      if (!preview || self.loaded.has(preview.url)) return;
      var image = new Image();
      image.decoding = 'async';
      image.onload = function () { self.loaded.add(preview.url); };
      image.src = preview.url;
      self.preloads.push(image);
    });
  };

  Viewer.prototype.step = function (delta) { this.go(this.index + delta); };

  Viewer.prototype.go = function (index) {
    var target = Math.max(0, Math.min(this.list.length - 1, index));
    if (target !== this.index) this.onStep(target);
  };

  Viewer.prototype.toggleInfo = function () {
    this.infoOpen = !this.infoOpen;
    this.info.hidden = !this.infoOpen;
    this.el.classList.toggle('is-info-open', this.infoOpen);
    this.infoButton.setAttribute('aria-expanded', String(this.infoOpen));
    if (this.infoOpen) this.fillInfo(this.current());
    this.render();
  };

  Viewer.prototype.fillInfo = function (entry) {
    var list = this.infoList;
    list.textContent = '';
    hgsite.describeEntry(entry).forEach(function (item) {
      var value;
      if (Array.isArray(item.value)) {
        value = h('dd.info-' + item.key, {}, item.value.map(function (text) {
          return h(item.key === 'files' ? 'span.info-file' : 'span.chip', { text: text });
        }));
      } else {
        value = h('dd.info-' + item.key, { text: item.value });
      }
      if (item.note) value.appendChild(h('span.info-note', { text: item.note }));
      list.appendChild(h('dt', { text: item.label }));
      list.appendChild(value);
    });
  };

  Viewer.prototype.keydown = function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var actions = {
      ArrowLeft: function (v) { v.step(-1); },
      ArrowRight: function (v) { v.step(1); },
      Home: function (v) { v.go(0); },
      End: function (v) { v.go(v.list.length - 1); },
      Escape: function (v) { v.onClose(); },
      i: function (v) { v.toggleInfo(); },
      I: function (v) { v.toggleInfo(); }
    };
    var action = Object.prototype.hasOwnProperty.call(actions, event.key) ? actions[event.key] : null;
    if (!action) return;
    event.preventDefault();
    action(this);
  };

  /** Horizontal swipes step to the neighbours; the image follows the finger meanwhile. */
  Viewer.prototype.bindSwipe = function () {
    var self = this;
    var start = null;
    var dx = 0;
    function reset() {
      start = null;
      self.img.style.transform = '';
    }
    this.stage.addEventListener('touchstart', function (event) {
      if (event.touches.length !== 1) return reset();
      start = { x: event.touches[0].clientX, y: event.touches[0].clientY, t: Date.now(), swiping: false };
      dx = 0;
    }, { passive: true });
    this.stage.addEventListener('touchmove', function (event) {
      if (!start || event.touches.length !== 1) return reset();
      dx = event.touches[0].clientX - start.x;
      var dy = event.touches[0].clientY - start.y;
      if (!start.swiping && Math.abs(dx) > 10 && Math.abs(dx) > Math.abs(dy)) start.swiping = true;
      if (start.swiping) self.img.style.transform = 'translateX(' + dx + 'px)';
    }, { passive: true });
    this.stage.addEventListener('touchend', function () {
      if (!start) return;
      var swiping = start.swiping;
      var quick = Date.now() - start.t < 300 && Math.abs(dx) > 30;
      reset();
      if (swiping && (quick || Math.abs(dx) > Math.min(80, self.stage.clientWidth * 0.2))) {
        self.step(dx < 0 ? 1 : -1);
      }
    }, { passive: true });
    this.stage.addEventListener('touchcancel', reset, { passive: true });
  };

  // ---------------------------------------------------------------------------------------------------
  // App: state, routes, start-up

  var app = {
    entries: [],          // every entry of the database, newest first
    byId: new Map(),      // id -> entry
    list: [],             // the entries the grid shows now (all of them, later a search result)
    listIndex: new Map(), // id -> index in list
    loaded: new Set(),    // preview URLs the browser has loaded
    handlers: {},         // route name -> function(route)
    route: null,
    gridHash: '#/',       // the last non-viewer route, where closing the viewer returns to
    viewerFromGrid: false,
    savedScroll: 0,
    grid: null,
    viewer: null,
    ready: null           // Promise, resolved once the first route is shown
  };

  /**
   * Register a route: hgsite.app.addRoute('search', {param: 'query', rest: true}, function (route) {...}).
   * @param {string} name
   * @param {{param?: string, rest?: boolean}|null} spec
   * @param {function({name: string, params: Object}): void} handler
   */
  app.addRoute = function (name, spec, handler) {
    hgsite.router.define(name, spec || undefined);
    app.handlers[name] = handler;
  };

  /** Show `list` in the grid; the viewer steps through the same list. */
  app.setList = function (list) {
    app.list = list;
    app.listIndex = new Map();
    list.forEach(function (entry, index) { app.listIndex.set(entry.id, index); });
    app.grid.setEntries(list);
    app.showCount();
  };

  app.showCount = function () {
    var node = doc.getElementById('hgsite-count');
    if (!node) return;
    var total = app.entries.length;
    var noun = total === 1 ? ' item' : ' items';
    node.textContent = app.list.length === total
      ? hgsite.formatNumber(total) + noun
      : hgsite.formatNumber(app.list.length) + ' of ' + hgsite.formatNumber(total) + noun;
  };

  /**
   * Go to a hash. With `replace` the current history entry is replaced (stepping in the viewer).
   * Falls back to location when the History API refuses (some browsers on file://).
   */
  app.navigate = function (hash, replace) {
    if (root.location.hash === hash) return app.dispatch();
    try {
      root.history[replace ? 'replaceState' : 'pushState'](null, '', hash);
    } catch (err) {
      if (replace) root.location.replace(hash);
      else root.location.hash = hash;
      return undefined;   // hashchange dispatches
    }
    return app.dispatch();
  };

  /** Show the route of the current hash. Safe to call repeatedly. */
  app.dispatch = function () {
    var route = hgsite.router.parse(root.location.hash);
    var handler = app.handlers[route.name];
    if (!route.known || !handler) {
      if (root.location.hash !== '' && root.location.hash !== '#/') app.notify('Unknown address, showing everything.');
      route = { name: 'all', params: {}, known: true };
      handler = app.handlers.all;
      replaceHash('#/');
    }
    var previous = app.route;
    app.route = route;
    if (route.name === 'view') {
      app.viewerFromGrid = previous ? previous.name !== 'view' || app.viewerFromGrid : false;
    } else {
      app.gridHash = hgsite.router.format(route.name, route.params);
    }
    handler(route);
  };

  function replaceHash(hash) {
    try { root.history.replaceState(null, '', hash); } catch (err) { /* keep the odd hash */ }
  }

  app.handlers.all = function () {
    app.closeViewer();
    if (app.list !== app.entries) app.setList(app.entries);
  };

  app.handlers.view = function (route) {
    var id = route.params.id;
    if (!app.byId.has(id)) {
      app.notify('There is no item with the id ' + id + '.');
      return app.navigate(app.gridHash === hgsite.formatRoute('view', { id: id }) ? '#/' : app.gridHash, true);
    }
    if (!app.listIndex.has(id)) app.setList(app.entries);
    return app.openViewer(app.listIndex.get(id));
  };

  app.openViewer = function (index) {
    var entry = app.list[index];
    if (!app.viewer.isOpen) {
      app.savedScroll = root.pageYOffset;
      app.grid.suspend();
      doc.documentElement.classList.add('is-viewing');
      setInert(true);
    }
    app.viewer.open(app.list, index);
    doc.title = hgsite.entryName(entry) + ' – ' + app.title;
  };

  /** Hide the viewer (the route has already changed), restore the grid's scroll, focus the tile. */
  app.closeViewer = function () {
    if (!app.viewer.isOpen) return;
    var entry = app.viewer.current();
    app.viewer.close();
    setInert(false);
    doc.documentElement.classList.remove('is-viewing');
    doc.title = app.title;
    root.scrollTo(0, app.savedScroll);
    app.grid.resume();
    if (entry && app.listIndex.has(entry.id)) {
      app.grid.reveal(app.listIndex.get(entry.id), { focus: true, center: true });
    }
  };

  /** Leave the viewer: back in history when the grid is the previous entry, else replace the hash. */
  app.leaveViewer = function () {
    if (app.viewerFromGrid) root.history.back();
    else app.navigate(app.gridHash, true);
  };

  function setInert(inert) {
    ['hgsite-header', 'hgsite-main'].forEach(function (id) {
      var node = doc.getElementById(id);
      if (!node) return;
      if (inert) node.setAttribute('inert', '');
      else node.removeAttribute('inert');
    });
  }

  /** A short message that disappears by itself (role=status). */
  app.notify = function (text) {
    var box = doc.getElementById('hgsite-toast');
    if (!box) {
      box = h('div.toast', { id: 'hgsite-toast', role: 'status' });
      doc.body.appendChild(box);
    }
    box.textContent = text;
    box.classList.add('is-visible');
    clearTimeout(app.notifyTimer);
    app.notifyTimer = setTimeout(function () { box.classList.remove('is-visible'); }, 4000);
  };

  /** Replace the page content with an explanation; never leave a blank page. */
  app.fail = function (error) {
    doc.documentElement.setAttribute('data-state', 'error');
    var main = doc.getElementById('hgsite-main') || doc.body;
    main.textContent = '';
    var hint = error && error.hint ? error.hint : '';
    if (!hint && root.location.protocol === 'file:') {
      hint = 'Open index.html from the folder hgsite built, with its "data", "assets" and "files" folders next to it.';
    }
    main.appendChild(h('div.message.message-error', { role: 'alert' }, [
      h('h2', { text: 'The gallery could not be loaded' }),
      h('p', { text: error && error.message ? error.message : String(error) }),
      hint ? h('p.message-hint', { text: hint }) : null
    ]));
    if (root.console) root.console.error(error);
  };

  app.showEmpty = function () {
    var main = doc.getElementById('hgsite-main');
    main.appendChild(h('div.message', {}, [
      h('h2', { text: 'No photos or videos yet' }),
      h('p', { text: 'The build found nothing to show. Add folders with photos or videos and build again.' })
    ]));
  };

  app.start = function () {
    doc.documentElement.setAttribute('data-state', 'loading');
    app.title = doc.title;
    var header = doc.getElementById('hgsite-header');
    app.grid = new Grid({
      loaded: app.loaded,
      insetTop: function () { return header ? header.getBoundingClientRect().bottom : 0; }
    });
    app.viewer = new Viewer({
      loaded: app.loaded,
      onStep: function (index) {
        app.navigate(hgsite.formatRoute('view', { id: app.list[index].id }), true);
      },
      onClose: app.leaveViewer
    });
    mark('hgsite:start');
    app.ready = hgsite.loadData('database').then(function (data) {
      mark('hgsite:data');
      app.entries = hgsite.checkDatabase(data);
      app.entries.forEach(function (entry) { app.byId.set(entry.id, entry); });
      var main = doc.getElementById('hgsite-main');
      main.textContent = '';
      main.appendChild(app.grid.el);
      app.setList(app.entries);
      if (!app.entries.length) app.showEmpty();
      root.addEventListener('hashchange', app.dispatch);
      app.dispatch();
      doc.documentElement.setAttribute('data-state', 'ready');
      mark('hgsite:ready');
    }).catch(app.fail);
    return app.ready;
  };

  /** performance.mark for benchmarks (bench/ reads hgsite:start, hgsite:data, hgsite:ready). */
  function mark(name) {
    if (root.performance && root.performance.mark) root.performance.mark(name);
  }

  hgsite.Grid = Grid;
  hgsite.Viewer = Viewer;
  hgsite.app = app;

  if (doc && !root.hgsiteNoAutostart) {
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', app.start);
    else app.start();
  }

  if (typeof module !== 'undefined' && module.exports) module.exports = app;
}(typeof window !== 'undefined' ? window : {}));
