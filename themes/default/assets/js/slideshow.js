/*
 * hgsite slideshow: #/slideshow/<query> plays the items of a search (everything without a query) full
 * screen, and a Play button over every list that has a query (all items, a search, a folder, a person,
 * similar items, memories) starts it on that list. Views tell which query their list stands for with
 * hgsite.slideshow.source(route, fn).
 *
 * 5 s per photo by default (the setting is remembered in localStorage), crossfades, space pauses and
 * resumes, arrows and swipes step, Esc leaves back to where it started; shuffle and loop. Videos play
 * through (muted until the user unmutes). The next photo is decoded (img.decode()) before the
 * transition starts, so no transition shows a half-loaded image. The screen is kept on with the Wake
 * Lock API where the browser allows. Photos use the 1920 preview, or the largest there is.
 *
 * This file: the order (playlist, shuffle), the settings and the id lists, pure and tested with
 * node --test; the route, the Play button and its sources. The show itself is slideshow-player.js,
 * its controls slideshow-controls.js (both after this file).
 * Needs dom.js, entries.js, format.js, ui.js, query.js and app.js first for the page.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  var INTERVALS = [3, 5, 10, 15, 30, 60];
  var DEFAULTS = { interval: 5, shuffle: false, loop: true };
  var STORE_KEY = 'hgsite.slideshow';

  /** A random function from a seed (mulberry32): the same seed, the same order. */
  function seeded(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /**
   * The order to play `count` items in: 0..count-1, or shuffled (Fisher-Yates) with `first` first.
   * @param {number} count
   * @param {{shuffle?: boolean, first?: number, random?: function(): number}} [options]
   * @returns {number[]} item indices
   */
  function playOrder(count, options) {
    var opts = options || {};
    var order = [];
    for (var i = 0; i < count; i++) order.push(i);
    if (!opts.shuffle) return order;
    var random = opts.random || Math.random;
    for (var j = count - 1; j > 0; j--) {
      var k = Math.floor(random() * (j + 1));
      var t = order[j]; order[j] = order[k]; order[k] = t;
    }
    var first = opts.first;
    if (first !== undefined && first >= 0 && first < count) {
      var at = order.indexOf(first);
      order.splice(at, 1);
      order.unshift(first);
    }
    return order;
  }

  /**
   * Where the slideshow is and what comes next: a position in an order of `count` items.
   * next() past the end starts again when looping (a new shuffle that does not begin with the item just
   * shown) and returns -1 otherwise; prev() before the start goes to the end when looping.
   * @param {number} count
   * @param {{shuffle?: boolean, loop?: boolean, random?: function(): number, start?: number}} [options]
   */
  function Playlist(count, options) {
    var opts = options || {};
    this.count = count;
    this.shuffle = !!opts.shuffle;
    this.loop = opts.loop !== false;
    this.random = opts.random || Math.random;
    var start = opts.start > 0 && opts.start < count ? opts.start : 0;
    this.order = playOrder(count, { shuffle: this.shuffle, first: start, random: this.random });
    this.pos = this.order.indexOf(start);
  }

  /** @returns {number} the item index shown */
  Playlist.prototype.current = function () { return this.order[this.pos]; };

  /** @returns {number} the item that next() would show, without moving (-1: the end) */
  Playlist.prototype.peek = function (delta) {
    var pos = this.pos + (delta || 1);
    if (pos >= 0 && pos < this.count) return this.order[pos];
    if (!this.loop || !this.count) return -1;
    if (delta < 0) return this.order[this.count - 1];
    return this.shuffle ? -2 : this.order[0];   // -2: a new round, shuffled when it starts
  };

  Playlist.prototype.next = function () {
    if (this.pos + 1 < this.count) return this.order[++this.pos];
    if (!this.loop || !this.count) return -1;
    if (this.shuffle) {
      var last = this.current();
      this.order = playOrder(this.count, { shuffle: true, random: this.random });
      if (this.count > 1 && this.order[0] === last) this.order.push(this.order.shift());
    }
    this.pos = 0;
    return this.order[0];
  };

  Playlist.prototype.prev = function () {
    if (this.pos > 0) return this.order[--this.pos];
    if (!this.loop || !this.count) return this.order[this.pos];
    this.pos = this.count - 1;
    return this.order[this.pos];
  };

  /** Shuffle on: the rest is shuffled after the item shown; off: the list's order from the item shown. */
  Playlist.prototype.setShuffle = function (on) {
    var item = this.current();
    this.shuffle = !!on;
    this.order = playOrder(this.count, { shuffle: this.shuffle, first: item, random: this.random });
    this.pos = this.order.indexOf(item);
  };

  /**
   * The stored settings, checked: every value has its default when missing or wrong.
   * @param {?string} text  the JSON in localStorage
   * @returns {{interval: number, shuffle: boolean, loop: boolean}}
   */
  function readSettings(text) {
    var stored = {};
    try { stored = JSON.parse(text || '{}') || {}; } catch (err) { stored = {}; }
    var interval = Number(stored.interval);
    return {
      interval: interval >= 1 && interval <= 600 ? interval : DEFAULTS.interval,
      shuffle: typeof stored.shuffle === 'boolean' ? stored.shuffle : DEFAULTS.shuffle,
      loop: typeof stored.loop === 'boolean' ? stored.loop : DEFAULTS.loop
    };
  }

  /**
   * The ids of a query that lists items by their full ids, `id in (a, b, ...)` (memories play so), or
   * null for any other query. Such a query finds exactly these items (ids are 16 hex digits and match
   * as prefixes), so the page looks them up instead of testing every item against every id.
   * @returns {string[]|null}
   */
  function idsOf(text) {
    var found = /^\s*id\s+in\s*\(([0-9a-f,\s]*)\)\s*$/i.exec(String(text || ''));
    if (!found) return null;
    var ids = found[1].split(',').map(function (s) { return s.trim().toLowerCase(); });
    for (var i = 0; i < ids.length; i++) if (!/^[0-9a-f]{16}$/.test(ids[i])) return null;
    return ids;
  }

  /** The entries with these ids, in database order: what the query `id in (<ids>)` finds. */
  function pickIds(entries, ids) {
    var wanted = new Set(ids);
    return entries.filter(function (e) { return wanted.has(e.id); });
  }

  var api = {
    pickIds: pickIds,
    INTERVALS: INTERVALS, DEFAULTS: DEFAULTS, seeded: seeded, playOrder: playOrder, Playlist: Playlist,
    readSettings: readSettings, idsOf: idsOf
  };
  hgsite.slideshow = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // The page (browser only)

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui || !hgsite.query) return;
  var h = hgsite.h;
  var ui = hgsite.ui;

  ui.defineIcons({
    play: 'M7 4l13 8-13 8z',
    pause: 'M7 4v16M17 4v16',
    shuffle: 'M3 6h4l10 12h4M3 18h4l3-3.6M14 9.6L17 6h4M18 3l3 3-3 3M18 15l3 3-3 3',
    loop: 'M4 11V9a3 3 0 0 1 3-3h12l-3-3M20 13v2a3 3 0 0 1-3 3H5l3 3',
    sound: 'M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M19 6a8 8 0 0 1 0 12',
    muted: 'M4 9h4l5-4v14l-5-4H4zM16 9l6 6M22 9l-6 6',
    fullscreen: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5'
  });

  // ---- sources: the query of the list a route shows, for the Play button ----

  var sources = {};

  /**
   * Register the query that stands for the list a route shows (`#/slideshow/<query>` plays it); the
   * Play button shows on the routes that have one. fn(route) returns the query ('' for everything), or
   * null when there is nothing to play.
   * @param {string} route
   * @param {function(Object): (string|null)} fn
   */
  api.source = function (route, fn) { sources[route] = fn; };

  api.source('all', function () { return ''; });
  api.source('search', function (route) { return route.params.query || ''; });
  api.source('similar', function (route) { return 'similar:' + route.params.id; });
  api.source('folders', function (route) {
    return route.params.path ? 'folder:' + hgsite.query.quote(route.params.path) : null;
  });

  var playButton = h('button.slideshow-play', { type: 'button', title: 'Slideshow', 'aria-label': 'Play a slideshow of these items', hidden: true },
    [ui.icon('play'), h('span.slideshow-play-label', { text: 'Play' })]);
  playButton.addEventListener('click', function () { play(); });

  app.on('start', function () { doc.body.appendChild(playButton); });

  /** The query of the list the route shows, or null. */
  function queryOf(route) {
    var fn = route && sources[route.name];
    return fn ? fn(route) : null;
  }

  /** Show the Play button where the route stands for a list. */
  function update() {
    var route = app.route;
    if (!route || route.name === 'slideshow') return;
    playButton.hidden = route.name === 'view' || queryOf(route) === null;
  }

  /** A view whose list changed after its route was shown (memories, once worked out) calls this. */
  api.update = update;

  app.on('route', update);

  /**
   * Start the slideshow of the list shown: the route of its query, with this very list (its order)
   * when the grid shows it; a page (a folder's) plays what its query finds.
   */
  function play() {
    var text = queryOf(app.route);
    var list = app.page ? null : app.list;
    if (text === null || (list && !list.length)) return app.notify('Nothing to play here.');
    pending = { query: text, list: list, from: hashOf(root.location.hash), scroll: root.pageYOffset };
    return app.navigate(hgsite.formatRoute('slideshow', { query: text }));
  }

  function hashOf(hash) { return hash && hash !== '#' ? hash : '#/'; }

  // ---- settings ----

  function loadSettings() {
    try { return readSettings(root.localStorage.getItem(STORE_KEY)); } catch (err) { return readSettings(null); }
  }

  function saveSettings(settings) {
    try { root.localStorage.setItem(STORE_KEY, JSON.stringify(settings)); } catch (err) { /* private mode: not remembered */ }
  }

  // ---- the route: the show of a query ----

  var pending = null;   // what the Play button asked for: {query, list, from, scroll}
  var show = null;      // the running show
  var back = null;      // where Esc goes: {hash, history, scroll}

  /** The items of a query: the id fast path, everything for '', else the search language. */
  function listOf(text) {
    var ids = idsOf(text);
    if (ids) return Promise.resolve(pickIds(app.entries, ids));
    if (!text.trim()) return Promise.resolve(app.entries);
    var parsed = hgsite.query.parse(text);
    var ranker = parsed.similar.length ? hgsite.query.rankers.similar : null;
    var ready = ranker && typeof ranker.load === 'function' ? Promise.resolve(ranker.load()) : Promise.resolve();
    return ready.then(function () { return hgsite.query.run(app.entries, parsed).entries; });
  }

  app.view({
    route: 'slideshow',
    param: 'query',
    rest: true,
    optional: true,
    render: function (route) {
      var text = route.params.query || '';
      app.closeViewer();
      app.setView(app.page);   // the page or grid shown stays behind the slideshow
      doc.title = 'Slideshow – ' + app.title;
      if (show && show.query === text) return undefined;
      var asked = pending && pending.query === text ? pending : null;
      pending = null;
      back = asked ? { hash: asked.from, history: true, scroll: asked.scroll }
        : { hash: text ? hgsite.formatRoute('search', { query: text }) : '#/', history: false, scroll: 0 };
      var list = asked && asked.list ? Promise.resolve(asked.list) : listOf(text);
      return list.then(function (items) {
        if (app.route !== route) return;
        if (!items.length) {
          app.notify('Nothing to play: ' + (text ? text + ' finds nothing.' : 'the gallery is empty.'));
          leave();
          return;
        }
        start(text, items);
      }, function (error) {
        app.notify('The slideshow could not start: ' + (error && error.message ? error.message : String(error)));
        leave();
      });
    }
  });

  app.on('route', function (route) {
    if (route.name !== 'slideshow' && show) stop();
    if (route.name !== 'slideshow' && back && back.restore && hashOf(root.location.hash) === back.hash) {
      root.scrollTo(0, back.scroll);
    }
    if (route.name !== 'slideshow') back = null;
  });

  /** Leave the slideshow for where it started (history back when it started from a list). */
  function leave() {
    var to = back || { hash: '#/', history: false };
    if (show) stop();
    to.restore = true;
    if (to.history) root.history.back();
    else app.navigate(to.hash, true);
  }

  /** Open the show of these items (slideshow-player.js) over the page. */
  function start(query, items) {
    if (show) stop();
    show = hgsite.slideshowPlayer.create(query, items, { settings: loadSettings(), save: saveSettings, leave: leave });
    playButton.hidden = true;
    show.open();
  }

  function stop() {
    var running = show;
    show = null;
    running.close();
  }

  /** @returns {Object|null} the running show (tests and benchmarks read its state) */
  api.running = function () { return show; };
}(typeof window !== 'undefined' ? window : {}));
