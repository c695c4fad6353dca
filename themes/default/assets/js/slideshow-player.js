/*
 * hgsite slideshow player: the show over the page. It loads and decodes the next slide while the current
 * one shows (img.decode()), so a transition only starts once its picture is ready, crossfades (0.8 s),
 * times photos, plays videos through (muted until the user unmutes), leaves out what cannot be loaded,
 * pauses, resumes, steps and ends or loops, and keeps the screen on while playing.
 *
 * slideshow.js makes one with hgsite.slideshowPlayer.create(...) for #/slideshow/<query>; the controls
 * (bar, keys, swipes, full screen, wake lock) are slideshow-controls.js.
 * Needs dom.js, entries.js, format.js, ui.js, app.js, slideshow.js and slideshow-controls.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui || !hgsite.slideshow || !hgsite.slideshowControls) return;
  var h = hgsite.h;
  var ui = hgsite.ui;
  var controls = hgsite.slideshowControls;
  var Playlist = hgsite.slideshow.Playlist;

  var FADE_MS = 800;

  // ---- slides: made and decoded ahead, then crossfaded on the stage ----

  /**
   * The slide of an entry, loading: a photo's preview decoded (img.decode()), a video's poster decoded and
   * its player made. slide.promise resolves with the slide, also when loading failed (slide.failed).
   */
  function makeSlide(entry, index, muted) {
    var need = Math.max(1920, Math.max(root.screen.width, root.screen.height) * ui.dpr());
    var preview = hgsite.pickPreview(entry, need);
    var slide = { index: index, entry: entry, layer: h('div.slideshow-slide'), video: null, failed: !preview };
    var img = h('img.slideshow-img', { alt: hgsite.entryName(entry), draggable: 'false', decoding: 'async' });
    var url = hgsite.videoUrl(entry);
    var decoded = preview ? (img.src = preview.url, img.decode()) : Promise.reject(new Error('no preview'));
    if (url) {
      slide.video = h('video.slideshow-video', { playsinline: true, preload: 'auto', poster: preview ? preview.url : null });
      slide.video.muted = muted;
      slide.video.src = url;
      slide.layer.appendChild(slide.video);
    } else {
      slide.layer.appendChild(img);
    }
    slide.promise = decoded.then(function () {
      if (preview) app.loaded.add(preview.url);
      return slide;
    }, function () {
      slide.failed = !url;   // a video whose poster failed can still play
      return slide;
    });
    return slide;
  }

  /** Fade `slide` in over `old` (which is removed once faded out). */
  function crossfade(stage, old, slide) {
    stage.appendChild(slide.layer);
    void slide.layer.offsetWidth;   // start the fade from opacity 0
    slide.layer.classList.add('is-current');
    if (!old) return;
    old.layer.classList.remove('is-current');
    if (old.video) old.video.pause();
    setTimeout(function () { old.layer.remove(); }, FADE_MS + 100);
  }

  /** The page behind the show: out of reach of keys, focus and screen readers while it plays. */
  function setInert(inert) {
    ['hgsite-header', 'hgsite-main'].forEach(function (id) {
      var node = doc.getElementById(id);
      if (!node) return;
      if (inert) node.setAttribute('inert', '');
      else node.removeAttribute('inert');
    });
  }

  // ---- the show ----

  /**
   * A slideshow of `items`, not yet on the page (open() shows it).
   * @param {string} query  the query it plays
   * @param {Object[]} items  the entries, in the order of the list
   * @param {{settings: {interval: number, shuffle: boolean, loop: boolean}, save: function(Object), leave: function()}} options
   *   the stored settings, how to store them when changed, and how to leave the slideshow (Esc, Close)
   */
  function Show(query, items, options) {
    var self = this;
    this.query = query;
    this.items = items;
    this.settings = options.settings;
    this.save = options.save;
    this.leave = options.leave;
    this.muted = true;
    this.paused = false;
    this.timer = 0;
    this.deadline = 0;
    this.remaining = 0;
    this.token = 0;
    this.current = null;   // {index, entry, layer, video}
    this.nextSlide = null; // a prepared slide: {index, promise}
    this.playlist = new Playlist(items.length, { shuffle: this.settings.shuffle, loop: this.settings.loop });
    this.ui = controls.build(this.settings);
    this.el = this.ui.el;
    this.fullscreen = new controls.Fullscreen(this.el, this.leave);
    this.wakeLock = new controls.WakeLock(function () { return !self.paused && self.el.isConnected; });
    this.listeners = {
      keydown: controls.bind(this.ui, actionsOf(this)),
      visibilitychange: function () { if (doc.visibilityState === 'visible' && !self.paused) self.wakeLock.set(true); },
      fullscreenchange: this.fullscreen.onChange
    };
  }

  /** What the controls do to the show. */
  function actionsOf(show) {
    return {
      leave: show.leave,
      step: function (delta) { show.step(delta); },
      toggle: function () { show.toggle(); },
      shuffle: function () { show.setShuffle(!show.settings.shuffle); },
      loop: function () { show.setLoop(!show.settings.loop); },
      mute: function () { show.setMuted(!show.muted); },
      fullscreen: function () { show.fullscreen.toggle(); },
      interval: function (seconds) { show.setSeconds(seconds); }
    };
  }

  /** Over the page: full screen when a click started it, the screen kept on, the first slide loading. */
  Show.prototype.open = function () {
    var self = this;
    doc.body.appendChild(this.el);
    doc.documentElement.classList.add('is-slideshow');
    setInert(true);
    if (app.grid) app.grid.suspend();
    Object.keys(this.listeners).forEach(function (type) { doc.addEventListener(type, self.listeners[type]); });
    this.el.focus({ preventScroll: true });
    this.ui.onMove();
    var active = root.navigator.userActivation ? root.navigator.userActivation.isActive : false;
    if (active) this.fullscreen.toggle();
    this.wakeLock.set(true);
    this.prepare(this.playlist.current()).promise.then(function (slide) { self.present(slide); });
  };

  Show.prototype.close = function () {
    var self = this;
    this.token++;
    clearTimeout(this.timer);
    Object.keys(this.listeners).forEach(function (type) { doc.removeEventListener(type, self.listeners[type]); });
    if (this.current && this.current.video) this.current.video.pause();
    this.wakeLock.set(false);
    if (doc.fullscreenElement) this.fullscreen.exit();
    this.el.remove();
    doc.documentElement.classList.remove('is-slideshow');
    setInert(false);
    if (app.grid) app.grid.resume();
  };

  /** The slide of item `index`, loading; a video goes on when it ends. */
  Show.prototype.prepare = function (index) {
    var self = this;
    var slide = makeSlide(this.items[index], index, this.muted);
    if (slide.video) {
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
    crossfade(this.ui.stage, old, slide);
    var entry = slide.entry;
    var when = entry.date ? hgsite.formatDate(entry.date, { seconds: false, offset: false }) : '';
    this.ui.caption.textContent = hgsite.entryName(entry) + (when ? ' · ' + when : '');
    this.showPosition();
    this.el.setAttribute('data-current', entry.id);
    this.ui.message.hidden = true;
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

  /** The counter and data-position: where in the playlist the show is. */
  Show.prototype.showPosition = function () {
    this.ui.counter.textContent = (this.playlist.pos + 1) + ' / ' + this.items.length;
    this.el.setAttribute('data-position', String(this.playlist.pos));
  };

  Show.prototype.showMessage = function (text) {
    this.ui.message.textContent = text;
    this.ui.message.hidden = false;
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
    this.showMessage('This video could not be played.');
    if (!this.paused) this.arm(this.settings.interval * 1000);
    slide.video = null;
  };

  /** A slide that could not be loaded is left out; after many in a row, the show stops. */
  Show.prototype.skip = function (slide) {
    this.failures = (this.failures || 0) + 1;
    if (this.failures > Math.min(10, this.items.length)) {
      this.showMessage('These previews could not be loaded.');
      return this.pause();
    }
    var self = this;
    var index = slide.direction < 0 ? this.playlist.prev() : this.playlist.next();
    if (index < 0) return this.end();
    return this.prepare(index).promise.then(function (next) { next.direction = slide.direction; self.present(next); });
  };

  // ---- timing and the state of play ----

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
    this.showMessage('The end. Space plays it again, Esc leaves.');
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
    this.wakeLock.set(false);
    this.setState();
  };

  Show.prototype.resume = function () {
    if (this.ended) return this.restart();
    if (!this.paused) return undefined;
    this.paused = false;
    this.setState();
    this.wakeLock.set(true);
    if (this.current && this.current.video) this.playVideo(this.current.video);
    else this.arm(this.remaining > 200 ? this.remaining : this.settings.interval * 1000);
    return undefined;
  };

  Show.prototype.toggle = function () { if (this.paused || this.ended) this.resume(); else this.pause(); };

  Show.prototype.setState = function () {
    this.el.setAttribute('data-state', this.ended ? 'ended' : this.paused ? 'paused' : 'playing');
    controls.setLabel(this.ui.pauseButton, this.paused ? 'play' : 'pause', this.paused ? 'Play (space)' : 'Pause (space)');
    if (!this.ended) this.ui.message.hidden = true;
  };

  // ---- settings and sound ----

  Show.prototype.setShuffle = function (on) {
    this.settings.shuffle = on;
    this.save(this.settings);
    this.playlist.setShuffle(on);
    controls.setPressed(this.ui.shuffleButton, on);
    this.showPosition();
    this.prepareNext();
  };

  Show.prototype.setLoop = function (on) {
    this.settings.loop = on;
    this.save(this.settings);
    this.playlist.loop = on;
    controls.setPressed(this.ui.loopButton, on);
    this.prepareNext();
  };

  /** Seconds per photo: the photo shown gets the new time from now. */
  Show.prototype.setSeconds = function (seconds) {
    this.settings.interval = seconds;
    this.save(this.settings);
    if (!this.paused && this.current && !this.current.video) this.arm(this.settings.interval * 1000);
  };

  Show.prototype.setMuted = function (muted) {
    this.muted = muted;
    if (this.current && this.current.video) this.current.video.muted = muted;
    controls.setLabel(this.ui.muteButton, muted ? 'muted' : 'sound', muted ? 'Sound on (m)' : 'Sound off (m)');
  };

  /**
   * A slideshow of `items` (see Show), to open().
   * @returns {Show}
   */
  function create(query, items, options) { return new Show(query, items, options); }

  hgsite.slideshowPlayer = { create: create, Show: Show };
}(typeof window !== 'undefined' ? window : {}));
