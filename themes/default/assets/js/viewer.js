/*
 * hgsite viewer: the full-screen overlay that shows one item, steps with keys and swipes, and has an
 * info panel. Database text only reaches the page through textContent and setAttribute (hgsite.h).
 * Needs dom.js, format.js, entries.js and ui.js first.
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
  // Viewer: full-screen overlay over the grid

  /**
   * @param {{loaded: Set<string>, onStep: function(number), onClose: function(), onInfo: (function(Object, Element)|undefined),
   *          onShow: (function(Object, Element, Object)|undefined),
   *          actions: (Array<{key: string, label: string, icon: string, run: function(Object)}>|undefined)}} options
   *   onStep(index) asks the app to show another item (the app updates the hash, then calls show);
   *   onClose() asks the app to leave the viewer; onInfo(entry, list) may add to the info panel;
   *   actions: further buttons of the bar, each with its key (the app's viewer actions, registry.js).
   * @constructor
   */
  function Viewer(options) {
    this.loaded = options.loaded;
    this.onStep = options.onStep;
    this.onClose = options.onClose;
    this.onInfo = options.onInfo || null;
    this.onShow = options.onShow || null;
    this.extraActions = options.actions || [];
    this.list = [];
    this.index = -1;
    this.isOpen = false;
    this.infoOpen = false;
    this.token = 0;
    this.preloads = [];
    this.el = null;
    this.video = null;
    this.blobUrl = null;
    this.checked = null;
  }

  Viewer.prototype.build = function () {
    var self = this;
    this.img = h('img.viewer-img', { alt: '', decoding: 'async', draggable: 'false' });
    this.badge = h('span.viewer-badge', { 'aria-hidden': 'true', hidden: true });
    this.video = h('video.viewer-video', { controls: true, playsinline: true, preload: 'metadata', hidden: true });
    this.message = h('p.viewer-message', { hidden: true });
    this.stage = h('div.viewer-stage', {}, [this.img, this.video, this.badge, this.message]);
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
    this.actions = this.extraActions.map(function (action) {
      var node = button('viewer-button.viewer-action-' + action.icon, action.label, action.icon);
      node.addEventListener('click', function () { action.run(self.current()); });
      return node;
    });
    var bar = h('div.viewer-bar', {}, [this.closeButton, h('div.viewer-title', {}, [this.caption, this.counter])]
      .concat(this.actions, [this.infoButton]));
    this.el = h('div.viewer', { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Viewer', tabindex: '-1', hidden: true },
      [this.stage, this.prevButton, this.nextButton, bar, this.info]);

    this.closeButton.addEventListener('click', function () { self.onClose(); });
    this.infoButton.addEventListener('click', function () { self.toggleInfo(); });
    this.prevButton.addEventListener('click', function () { self.step(-1); });
    this.nextButton.addEventListener('click', function () { self.step(1); });
    this.img.addEventListener('error', function () { self.failed(); });
    this.video.addEventListener('error', function () { self.videoFailed(); });
    this.video.addEventListener('loadedmetadata', function () { self.checkSeekable(); });
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
    this.stopVideo();
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
    this.badge.hidden = entry.type !== 'video' || Boolean(hgsite.videoUrl(entry));
    this.badge.textContent = '▶' + (duration ? ' ' + duration : '');
    if (this.infoOpen) this.fillInfo(entry);
    this.render();
    this.preload();
    this.el.dispatchEvent(new CustomEvent('hgsite:show', { detail: { entry: entry } }));   // zoom.js resets
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
    if (this.onShow) this.onShow(entry, this.stage, size);
    this.message.hidden = true;
    var video = hgsite.videoUrl(entry);
    if (video) return this.renderVideo(entry, video, size);
    this.stopVideo();
    this.img.hidden = false;
    var best = hgsite.pickPreview(entry, Math.max(size.w, size.h) * dpr());
    if (!best) return this.failed();
    if (entry.type === 'video') this.noVideo();
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

  /** Show the HTML5 player for the web copy at `url`, with the poster until it plays. */
  Viewer.prototype.renderVideo = function (entry, url, size) {
    var video = this.video;
    this.img.hidden = true;
    this.img.removeAttribute('src');
    video.style.width = px(size.w);
    video.style.height = px(size.h);
    if (video.getAttribute('data-src') === url) return;  // the same video (a resize): keep playing
    this.stopVideo();
    var poster = hgsite.pickPreview(entry, Math.max(size.w, size.h) * dpr());
    if (poster) video.setAttribute('poster', poster.url);
    video.setAttribute('data-src', url);
    video.hidden = false;
    video.src = url;
  };

  /** Stop and unload the player (leaving a video must stop its sound and its download). */
  Viewer.prototype.stopVideo = function () {
    var video = this.video;
    if (!video || !video.hasAttribute('data-src')) return;
    video.pause();
    video.removeAttribute('data-src');
    video.removeAttribute('src');
    video.removeAttribute('poster');
    video.load();
    video.hidden = true;
    this.checked = null;
    if (this.blobUrl) {
      root.URL.revokeObjectURL(this.blobUrl);
      this.blobUrl = null;
    }
  };

  /**
   * Seeking needs HTTP range requests. Every common web server and host answers them, but some
   * development servers (python -m http.server) do not, and then the browser cannot seek. The page asks
   * for two bytes (past the browser's cache, which would answer for the server): a server that sends
   * the whole file instead has its answer played from memory.
   */
  Viewer.prototype.checkSeekable = function () {
    var video = this.video;
    var url = video.getAttribute('data-src');
    if (!url || this.checked === url || !/^https?:$/.test(root.location.protocol) || !root.fetch) return;
    this.checked = url;
    var self = this;
    root.fetch(url, { headers: { Range: 'bytes=0-1' }, cache: 'no-store' }).then(function (response) {
      return response.status === 200 ? response.blob() : null;  // 206: ranges work, nothing to do
    }).then(function (blob) {
      if (!blob || video.getAttribute('data-src') !== url) return;
      var time = video.currentTime;
      var playing = !video.paused;
      self.blobUrl = root.URL.createObjectURL(blob);
      video.src = self.blobUrl;
      video.currentTime = time;
      if (playing) video.play().catch(function () {});
    }).catch(function () { /* plays without seeking, as the server allows */ });
  };

  Viewer.prototype.videoFailed = function () {
    if (!this.isOpen || !this.video.hasAttribute('data-src')) return;
    this.message.textContent = 'This video could not be played.';
    this.message.hidden = false;
  };

  /** A video without a web copy (the build could not convert it): its poster and a note. */
  Viewer.prototype.noVideo = function () {
    this.message.textContent = 'This video has no playable copy (see the messages of hgsite build).';
    this.message.hidden = false;
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
    /** A value as a link to the search it stands for (camera -> model:"iPhone 7"), else as text. */
    function link(cls, text, search) {
      if (!search) return h('span.' + cls, { text: text });
      return h('a.' + cls + '.info-link', { href: hgsite.formatRoute('search', { query: search }), title: 'Search ' + search, text: text });
    }
    hgsite.describeEntry(entry).forEach(function (item) {
      var value;
      if (Array.isArray(item.value)) {
        var cls = item.key === 'files' ? 'info-file' : item.key === 'place' ? 'info-part' : 'chip';
        value = h('dd.info-' + item.key, {}, item.value.map(function (text, i) {
          return link(cls, text, item.searches && item.searches[i]);
        }));
      } else {
        value = h('dd.info-' + item.key, {}, [link('info-value', item.value, item.search)]);
      }
      if (item.note) value.appendChild(h('span.info-note', { text: item.note }));
      list.appendChild(h('dt', { text: item.label }));
      list.appendChild(value);
    });
    if (this.onInfo) this.onInfo(entry, list);
  };

  Viewer.prototype.keydown = function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
    if (event.target === this.video && event.key !== 'Escape') return;  // the player's own keys (seek, pause)
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
    this.extraActions.forEach(function (extra) {
      if (!action && (event.key === extra.key || event.key === extra.key.toUpperCase())) {
        action = function (v) { extra.run(v.current()); };
      }
    });
    if (!action) return;
    event.preventDefault();
    action(this);
  };

  /** Horizontal swipes step to the neighbours; the image follows the finger meanwhile. */
  Viewer.prototype.bindSwipe = function () {
    var self = this;
    var start = null;
    var dx = 0;
    function zoomed() { return self.el.classList.contains('is-zoomed'); }   // zoom.js pans instead
    function reset() {
      start = null;
      if (!zoomed()) self.img.style.transform = '';
    }
    this.stage.addEventListener('touchstart', function (event) {
      if (event.touches.length !== 1 || zoomed()) return reset();
      start = { x: event.touches[0].clientX, y: event.touches[0].clientY, t: Date.now(), swiping: false };
      dx = 0;
    }, { passive: true });
    this.stage.addEventListener('touchmove', function (event) {
      if (!start || event.touches.length !== 1 || zoomed()) return reset();
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

  hgsite.Viewer = Viewer;
  if (typeof module !== 'undefined' && module.exports) module.exports = Viewer;
}(typeof window !== 'undefined' ? window : {}));
