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
 * The order (playlist, shuffle) and the settings are pure and tested with node --test.
 * Needs dom.js, entries.js, format.js, ui.js, query.js and app.js first for the page.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  var INTERVALS = [3, 5, 10, 15, 30, 60];
  var DEFAULTS = { interval: 5, shuffle: false, loop: true };
  var STORE_KEY = 'hgsite.slideshow';
  var FADE_MS = 800;

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

  // ---- the show ----

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

  function Show(query, items) {
    this.query = query;
    this.items = items;
    this.settings = loadSettings();
    this.muted = true;
    this.paused = false;
    this.timer = 0;
    this.deadline = 0;
    this.remaining = 0;
    this.token = 0;
    this.current = null;   // {index, layer, media, video}
    this.nextSlide = null; // a prepared slide: {index, promise}
    this.lock = null;
    this.playlist = new Playlist(items.length, { shuffle: this.settings.shuffle, loop: this.settings.loop });
    this.build();
  }

  Show.prototype.build = function () {
    var self = this;
    var s = this.settings;
    this.stage = h('div.slideshow-stage');
    this.caption = h('span.slideshow-caption');
    this.counter = h('span.slideshow-counter');
    this.pauseButton = ui.button('slideshow-button.slideshow-pause', 'Pause (space)', 'pause');
    this.prevButton = ui.button('slideshow-button', 'Previous (←)', 'prev');
    this.nextButton = ui.button('slideshow-button', 'Next (→)', 'next');
    this.shuffleButton = ui.button('slideshow-button.slideshow-shuffle', 'Shuffle', 'shuffle');
    this.loopButton = ui.button('slideshow-button.slideshow-loop', 'Loop', 'loop');
    this.muteButton = ui.button('slideshow-button.slideshow-mute', 'Sound on (m)', 'muted');
    this.fullButton = ui.button('slideshow-button', 'Full screen (f)', 'fullscreen');
    this.closeButton = ui.button('slideshow-button.slideshow-close', 'Close (Esc)', 'close');
    this.select = h('select.slideshow-interval', { 'aria-label': 'Seconds per photo', title: 'Seconds per photo' });
    var choices = INTERVALS.indexOf(s.interval) < 0 ? INTERVALS.concat([s.interval]).sort(function (a, b) { return a - b; }) : INTERVALS;
    choices.forEach(function (n) {
      self.select.appendChild(h('option', { value: String(n), selected: n === s.interval, text: n + ' s' }));
    });
    this.shuffleButton.setAttribute('aria-pressed', String(s.shuffle));
    this.loopButton.setAttribute('aria-pressed', String(s.loop));
    this.bar = h('div.slideshow-bar', {}, [
      this.closeButton, h('div.slideshow-title', {}, [this.caption, this.counter]),
      this.prevButton, this.pauseButton, this.nextButton, this.select, this.shuffleButton, this.loopButton,
      this.muteButton, this.fullButton
    ]);
    this.message = h('p.slideshow-message', { hidden: true });
    this.el = h('div.slideshow', { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Slideshow', tabindex: '-1', 'data-state': 'playing' },
      [this.stage, this.message, this.bar]);

    this.closeButton.addEventListener('click', leave);
    this.prevButton.addEventListener('click', function () { self.step(-1); });
    this.nextButton.addEventListener('click', function () { self.step(1); });
    this.pauseButton.addEventListener('click', function () { self.toggle(); });
    this.shuffleButton.addEventListener('click', function () { self.setShuffle(!self.settings.shuffle); });
    this.loopButton.addEventListener('click', function () { self.setLoop(!self.settings.loop); });
    this.muteButton.addEventListener('click', function () { self.setMuted(!self.muted); });
    this.fullButton.addEventListener('click', function () { self.toggleFullscreen(); });
    this.select.addEventListener('change', function () {
      self.settings.interval = Number(self.select.value);
      saveSettings(self.settings);
      if (!self.paused && self.current && !self.current.video) self.arm(self.settings.interval * 1000);
    });
    this.onKey = function (event) { self.keydown(event); };
    // space is the show's pause key, also while a button has the focus (whose click comes on keyup)
    this.el.addEventListener('keyup', function (event) { if (event.key === ' ') event.preventDefault(); });
    this.onVisible = function () { if (doc.visibilityState === 'visible' && !self.paused) self.wake(true); };
    this.onFullscreen = function () {
      // the browser leaves full screen on Esc without telling the page the key: leave with it
      if (!doc.fullscreenElement && self.fullscreen && !self.exitingFullscreen) leave();
      self.fullscreen = !!doc.fullscreenElement;
      self.exitingFullscreen = false;
    };
    var idle = 0;
    this.onMove = function () {
      self.el.classList.remove('is-idle');
      clearTimeout(idle);
      idle = setTimeout(function () { self.el.classList.add('is-idle'); }, 2500);
    };
    this.el.addEventListener('mousemove', this.onMove);
    this.bindSwipe();
  };

  Show.prototype.open = function () {
    doc.body.appendChild(this.el);
    doc.documentElement.classList.add('is-slideshow');
    setInert(true);
    if (app.grid) app.grid.suspend();
    doc.addEventListener('keydown', this.onKey);
    doc.addEventListener('visibilitychange', this.onVisible);
    doc.addEventListener('fullscreenchange', this.onFullscreen);
    this.el.focus({ preventScroll: true });
    this.onMove();
    var active = root.navigator.userActivation ? root.navigator.userActivation.isActive : false;
    if (active) this.toggleFullscreen();
    this.wake(true);
    var self = this;
    this.prepare(this.playlist.current()).promise.then(function (slide) { self.present(slide); });
  };

  Show.prototype.close = function () {
    this.token++;
    clearTimeout(this.timer);
    doc.removeEventListener('keydown', this.onKey);
    doc.removeEventListener('visibilitychange', this.onVisible);
    doc.removeEventListener('fullscreenchange', this.onFullscreen);
    if (this.current && this.current.video) this.current.video.pause();
    this.wake(false);
    if (doc.fullscreenElement) {
      this.exitingFullscreen = true;
      doc.exitFullscreen().catch(function () {});
    }
    this.el.remove();
    doc.documentElement.classList.remove('is-slideshow');
    setInert(false);
    if (app.grid) app.grid.resume();
  };

  /**
   * Make the slide of item `index` and load it: a photo's preview decoded (img.decode()), a video's
   * poster decoded and its player made. Resolves with the slide, also when loading failed (slide.failed).
   */
  Show.prototype.prepare = function (index) {
    var entry = this.items[index];
    var need = Math.max(1920, Math.max(root.screen.width, root.screen.height) * ui.dpr());
    var preview = hgsite.pickPreview(entry, need);
    var slide = { index: index, entry: entry, layer: h('div.slideshow-slide'), video: null, failed: !preview };
    var img = h('img.slideshow-img', { alt: hgsite.entryName(entry), draggable: 'false', decoding: 'async' });
    var url = hgsite.videoUrl(entry);
    var decoded = preview ? (img.src = preview.url, img.decode()) : Promise.reject(new Error('no preview'));
    if (url) {
      slide.video = h('video.slideshow-video', { playsinline: true, preload: 'auto', poster: preview ? preview.url : null });
      slide.video.muted = this.muted;
      slide.video.src = url;
      slide.layer.appendChild(slide.video);
    } else {
      slide.layer.appendChild(img);
    }
    var self = this;
    slide.promise = decoded.then(function () {
      if (preview) app.loaded.add(preview.url);
      return slide;
    }, function () {
      slide.failed = !url;   // a video whose poster failed can still play
      return slide;
    });
    if (url) {
      slide.video.addEventListener('ended', function () { if (self.current === slide && !self.paused) self.advance(1); });
      slide.video.addEventListener('error', function () { if (self.current === slide) self.videoFailed(slide); });
    }
    return slide;
  };

  /** Show a prepared slide: crossfade from the one before, then time it (or play the video). */
  Show.prototype.present = function (slide) {
    if (!this.el.isConnected) return;
    if (slide.failed) return this.skip(slide);
    this.failures = 0;
    var old = this.current;
    this.current = slide;
    this.stage.appendChild(slide.layer);
    void slide.layer.offsetWidth;   // start the fade from opacity 0
    slide.layer.classList.add('is-current');
    if (old) {
      old.layer.classList.remove('is-current');
      if (old.video) old.video.pause();
      setTimeout(function () { old.layer.remove(); }, FADE_MS + 100);
    }
    var entry = slide.entry;
    var when = entry.date ? hgsite.formatDate(entry.date, { seconds: false, offset: false }) : '';
    this.caption.textContent = hgsite.entryName(entry) + (when ? ' · ' + when : '');
    this.counter.textContent = (this.playlist.pos + 1) + ' / ' + this.items.length;
    this.el.setAttribute('data-current', entry.id);
    this.el.setAttribute('data-position', String(this.playlist.pos));
    this.message.hidden = true;
    this.nextSlide = null;
    if (slide.video && slide.video.error) {
      this.videoFailed(slide);   // it failed while it was the next one: its poster shows its time
    } else if (slide.video) {
      clearTimeout(this.timer);
      if (!this.paused) this.playVideo(slide.video);
    } else if (!this.paused) {
      this.arm(this.settings.interval * 1000);
    }
    this.prepareNext();
  };

  /** Load the slide that comes next, so it is decoded when its time comes. */
  Show.prototype.prepareNext = function () {
    var index = this.playlist.peek(1);
    this.nextSlide = index >= 0 && index !== this.playlist.current() ? this.prepare(index) : null;
  };

  Show.prototype.playVideo = function (video) {
    var self = this;
    video.muted = this.muted;
    var started = video.play();
    if (started && started.catch) {
      started.catch(function () {
        // sound needs a click first in most browsers: play muted instead
        if (!video.muted && self.current && self.current.video === video) {
          self.setMuted(true);
          video.play().catch(function () {});
        }
      });
    }
  };

  Show.prototype.videoFailed = function (slide) {
    this.message.textContent = 'This video could not be played.';
    this.message.hidden = false;
    if (!this.paused) this.arm(this.settings.interval * 1000);
    slide.video = null;
  };

  /** A slide that could not be loaded is left out; after many in a row, the show stops. */
  Show.prototype.skip = function (slide) {
    this.failures = (this.failures || 0) + 1;
    if (this.failures > Math.min(10, this.items.length)) {
      this.message.textContent = 'These previews could not be loaded.';
      this.message.hidden = false;
      return this.pause();
    }
    var self = this;
    var index = slide.direction < 0 ? this.playlist.prev() : this.playlist.next();
    if (index < 0) return this.end();
    return this.prepare(index).promise.then(function (next) { next.direction = slide.direction; self.present(next); });
  };

  /** Time the photo shown: after `ms`, the next one. */
  Show.prototype.arm = function (ms) {
    var self = this;
    clearTimeout(this.timer);
    this.deadline = Date.now() + ms;
    this.timer = setTimeout(function () { self.advance(1); }, ms);
  };

  /** Go on by one (1) or back by one (-1), once the slide is decoded. */
  Show.prototype.advance = function (delta) {
    clearTimeout(this.timer);
    var prepared = delta > 0 ? this.nextSlide : null;
    var index = delta > 0 ? this.playlist.next() : this.playlist.prev();
    if (index < 0) return this.end();
    if (index === (this.current && this.current.index) && this.items.length > 1 && delta < 0) return undefined;
    var slide = prepared && prepared.index === index ? prepared : this.prepare(index);
    slide.direction = delta;
    var token = ++this.token;
    var self = this;
    return slide.promise.then(function () { if (token === self.token) self.present(slide); });
  };

  Show.prototype.step = function (delta) {
    if (this.ended && delta > 0) return this.restart();
    if (this.ended) {
      this.ended = false;
      this.setState();
    }
    return this.advance(delta);
  };

  /** The end without looping: stays on the last one, paused; play starts over. */
  Show.prototype.end = function () {
    this.ended = true;
    this.pause();
    this.el.setAttribute('data-state', 'ended');
    this.message.textContent = 'The end. Space plays it again, Esc leaves.';
    this.message.hidden = false;
  };

  Show.prototype.restart = function () {
    this.ended = false;
    this.playlist = new Playlist(this.items.length, { shuffle: this.settings.shuffle, loop: this.settings.loop });
    this.paused = false;
    this.setState();
    var self = this;
    this.prepare(this.playlist.current()).promise.then(function (slide) { self.present(slide); });
  };

  Show.prototype.pause = function () {
    if (this.paused) return;
    this.paused = true;
    clearTimeout(this.timer);
    this.remaining = Math.max(0, this.deadline - Date.now());
    if (this.current && this.current.video) this.current.video.pause();
    this.wake(false);
    this.setState();
  };

  Show.prototype.resume = function () {
    if (this.ended) return this.restart();
    if (!this.paused) return undefined;
    this.paused = false;
    this.setState();
    this.wake(true);
    if (this.current && this.current.video) this.playVideo(this.current.video);
    else this.arm(this.remaining > 200 ? this.remaining : this.settings.interval * 1000);
    return undefined;
  };

  Show.prototype.toggle = function () { if (this.paused || this.ended) this.resume(); else this.pause(); };

  Show.prototype.setState = function () {
    this.el.setAttribute('data-state', this.ended ? 'ended' : this.paused ? 'paused' : 'playing');
    var label = this.paused ? 'Play (space)' : 'Pause (space)';
    this.pauseButton.replaceChildren(ui.icon(this.paused ? 'play' : 'pause'));
    this.pauseButton.setAttribute('aria-label', label);
    this.pauseButton.title = label;
    if (!this.ended) this.message.hidden = true;
  };

  Show.prototype.setShuffle = function (on) {
    this.settings.shuffle = on;
    saveSettings(this.settings);
    this.playlist.setShuffle(on);
    this.shuffleButton.setAttribute('aria-pressed', String(on));
    this.counter.textContent = (this.playlist.pos + 1) + ' / ' + this.items.length;
    this.el.setAttribute('data-position', String(this.playlist.pos));
    this.prepareNext();
  };

  Show.prototype.setLoop = function (on) {
    this.settings.loop = on;
    saveSettings(this.settings);
    this.playlist.loop = on;
    this.loopButton.setAttribute('aria-pressed', String(on));
    this.prepareNext();
  };

  Show.prototype.setMuted = function (muted) {
    this.muted = muted;
    if (this.current && this.current.video) this.current.video.muted = muted;
    this.muteButton.replaceChildren(ui.icon(muted ? 'muted' : 'sound'));
    var label = muted ? 'Sound on (m)' : 'Sound off (m)';
    this.muteButton.setAttribute('aria-label', label);
    this.muteButton.title = label;
  };

  Show.prototype.toggleFullscreen = function () {
    if (doc.fullscreenElement) {
      this.exitingFullscreen = true;
      doc.exitFullscreen().catch(function () {});
    } else if (this.el.requestFullscreen) {
      var self = this;
      this.el.requestFullscreen().then(function () { self.fullscreen = true; }, function () { /* not allowed here */ });
    }
  };

  /** Keep the screen on while playing (Wake Lock API, where the browser has it and allows it). */
  Show.prototype.wake = function (on) {
    var self = this;
    var wakeLock = root.navigator.wakeLock;
    if (!on) {
      if (this.lock) this.lock.release().catch(function () {});
      this.lock = null;
      return;
    }
    if (!wakeLock || this.lock || doc.visibilityState !== 'visible') return;
    wakeLock.request('screen').then(function (lock) {
      if (self.paused || !self.el.isConnected) lock.release().catch(function () {});
      else self.lock = lock;
    }, function () { /* not allowed (battery saver, insecure context): the screen may dim */ });
  };

  Show.prototype.keydown = function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.key !== 'Escape') return;
    var self = this;
    var keys = {
      ' ': function () { self.toggle(); },
      ArrowRight: function () { self.step(1); },
      ArrowLeft: function () { self.step(-1); },
      Escape: leave,
      f: function () { self.toggleFullscreen(); },
      m: function () { self.setMuted(!self.muted); }
    };
    var action = Object.prototype.hasOwnProperty.call(keys, event.key) ? keys[event.key] : null;
    if (!action) return;
    event.preventDefault();
    this.onMove();
    action();
  };

  /** Swipe left or right to step; a tap shows the controls. */
  Show.prototype.bindSwipe = function () {
    var self = this;
    var start = null;
    this.stage.addEventListener('touchstart', function (event) {
      start = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
    }, { passive: true });
    this.stage.addEventListener('touchend', function (event) {
      if (!start || !event.changedTouches.length) return;
      var dx = event.changedTouches[0].clientX - start.x;
      var dy = event.changedTouches[0].clientY - start.y;
      start = null;
      if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy) * 1.5) self.step(dx < 0 ? 1 : -1);
      else self.onMove();
    }, { passive: true });
  };

  function setInert(inert) {
    ['hgsite-header', 'hgsite-main'].forEach(function (id) {
      var node = doc.getElementById(id);
      if (!node) return;
      if (inert) node.setAttribute('inert', '');
      else node.removeAttribute('inert');
    });
    if (inert) playButton.hidden = true;
  }

  function start(query, items) {
    if (show) stop();
    show = new Show(query, items);
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
