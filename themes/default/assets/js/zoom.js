/*
 * hgsite zoom: pinch, double-tap (double-click) and ctrl+wheel zoom in the viewer, with panning while
 * zoomed and a larger preview swapped in when the zoomed image needs more pixels.
 *
 * The geometry is pure (node-tested): a state {s, x, y} is a scale over the fitted size and a
 * translation in CSS px from the centred position, for an image of w×h fitted in a stage of W×H.
 * The controller needs the page (dom.js, ui.js, viewer.js and app.js first). While zoomed the viewer
 * element has the class is-zoomed, and the viewer's swipe leaves the gesture to the zoom.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  var MAX_SCALE = 6;
  var TAP_SCALE = 2.5;

  /** @typedef {{s: number, x: number, y: number}} ZoomState */
  /** @typedef {{w: number, h: number, W: number, H: number}} ZoomBox  image (fitted) and stage sizes */

  /** @returns {ZoomState} s within [1, max]; x and y keep the image covering the stage where it can */
  function clamp(state, box, max) {
    var s = Math.min(max || MAX_SCALE, Math.max(1, state.s));
    var limitX = Math.max(0, (box.w * s - box.W) / 2);
    var limitY = Math.max(0, (box.h * s - box.H) / 2);
    var x = Math.min(limitX, Math.max(-limitX, state.x)) || 0;   // || 0: no -0
    var y = Math.min(limitY, Math.max(-limitY, state.y)) || 0;
    return { s: s, x: x, y: y };
  }

  /**
   * Scale to `s` keeping the image point under `point` where it is. point: stage coordinates from its centre.
   * @returns {ZoomState}
   */
  function zoomTo(state, s, point, box, max) {
    var target = Math.min(max || MAX_SCALE, Math.max(1, s));
    var k = target / state.s;
    return clamp({ s: target, x: point.x - (point.x - state.x) * k, y: point.y - (point.y - state.y) * k }, box, max);
  }

  /** Double tap: zoom in on the point, or back to the fitted view when zoomed. */
  function toggle(state, point, box) {
    return state.s > 1.01 ? { s: 1, x: 0, y: 0 } : zoomTo(state, TAP_SCALE, point, box);
  }

  /**
   * Two-finger pinch: from the state at the start, the fingers' distance and midpoint then and now.
   * @returns {ZoomState}
   */
  function pinch(start, from, to, box) {
    var s = Math.min(MAX_SCALE, Math.max(1, start.s * to.distance / Math.max(1, from.distance)));
    var k = s / start.s;
    return clamp({ s: s, x: to.x - (from.x - start.x) * k, y: to.y - (from.y - start.y) * k }, box);
  }

  var api = { clamp: clamp, zoomTo: zoomTo, toggle: toggle, pinch: pinch, MAX_SCALE: MAX_SCALE };
  hgsite.zoom = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // Controller (page only)

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app) return;

  /** @constructor */
  function Zoom(viewer) {
    this.viewer = viewer;
    this.state = { s: 1, x: 0, y: 0 };
    this.pointers = new Map();
    this.gesture = null;
    this.lastTap = null;
    this.toggled = 0;
    this.bind();
  }

  Zoom.prototype.enabled = function () {
    var entry = this.viewer.current();
    return !!(entry && entry.type !== 'video' && this.viewer.img && this.viewer.img.getAttribute('src'));
  };

  /** Stage coordinates (from the stage's centre) of a client point, and the sizes for the geometry. */
  Zoom.prototype.point = function (clientX, clientY) {
    var rect = this.viewer.stage.getBoundingClientRect();
    return { x: clientX - rect.left - rect.width / 2, y: clientY - rect.top - rect.height / 2 };
  };

  Zoom.prototype.box = function () {
    var rect = this.viewer.stage.getBoundingClientRect();
    var img = this.viewer.img;
    return { w: img.offsetWidth || 1, h: img.offsetHeight || 1, W: rect.width, H: rect.height };
  };

  Zoom.prototype.set = function (state, animate) {
    this.state = state;
    var img = this.viewer.img;
    var zoomed = state.s > 1.01;
    img.classList.toggle('is-animating', !!animate);
    img.style.transform = zoomed ? 'translate(' + state.x.toFixed(1) + 'px, ' + state.y.toFixed(1) + 'px) scale(' + state.s.toFixed(4) + ')' : '';
    this.viewer.el.classList.toggle('is-zoomed', zoomed);
    if (zoomed) this.sharpen();
  };

  Zoom.prototype.reset = function () {
    this.pointers.clear();
    this.gesture = null;
    this.set({ s: 1, x: 0, y: 0 }, false);
  };

  /** Swap in a larger preview when the zoomed image shows more device pixels than the current one has. */
  Zoom.prototype.sharpen = function () {
    var viewer = this.viewer;
    var entry = viewer.current();
    var img = viewer.img;
    var need = Math.max(img.offsetWidth, img.offsetHeight) * this.state.s * (root.devicePixelRatio || 1);
    var best = hgsite.pickPreview(entry, need);
    var current = hgsite.previewList(entry).filter(function (p) { return p.url === img.getAttribute('src'); })[0];
    if (!best || (current && current.px >= best.px) || this.loading === best.url) return;
    this.loading = best.url;
    var self = this;
    var loader = new Image();
    loader.decoding = 'async';
    loader.onload = function () {
      viewer.loaded.add(best.url);
      if (viewer.current() === entry && self.state.s > 1.01) img.src = best.url;
      self.loading = null;
    };
    loader.onerror = function () { self.loading = null; };
    loader.src = best.url;
  };

  Zoom.prototype.bind = function () {
    var self = this;
    var stage = this.viewer.stage;
    stage.addEventListener('pointerdown', function (event) { self.down(event); });
    stage.addEventListener('pointermove', function (event) { self.move(event); });
    stage.addEventListener('pointerup', function (event) { self.up(event); });
    stage.addEventListener('pointercancel', function (event) { self.up(event, true); });
    stage.addEventListener('dblclick', function (event) {
      if (!self.enabled()) return;
      event.preventDefault();
      if (Date.now() - self.toggled < 600) return;   // the browser's dblclick after our own double tap
      self.set(toggle(self.state, self.point(event.clientX, event.clientY), self.box()), true);
    });
    stage.addEventListener('wheel', function (event) { self.wheel(event); }, { passive: false });
    this.viewer.el.addEventListener('hgsite:show', function () { self.reset(); });
    root.addEventListener('resize', function () { self.reset(); });
  };

  Zoom.prototype.down = function (event) {
    if (!this.enabled() || (event.pointerType === 'mouse' && event.button !== 0)) return;
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (this.pointers.size === 2) {
      this.gesture = { type: 'pinch', start: this.state, from: this.fingers() };
    } else if (this.pointers.size === 1 && this.state.s > 1.01) {
      this.gesture = { type: 'pan', start: this.state, x: event.clientX, y: event.clientY };
      if (this.viewer.stage.setPointerCapture) this.viewer.stage.setPointerCapture(event.pointerId);
    }
  };

  /** Distance and midpoint (stage coordinates) of the first two pointers. */
  Zoom.prototype.fingers = function () {
    var list = Array.from(this.pointers.values()).slice(0, 2);
    var mid = this.point((list[0].x + list[1].x) / 2, (list[0].y + list[1].y) / 2);
    return { distance: Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y), x: mid.x, y: mid.y };
  };

  Zoom.prototype.move = function (event) {
    if (!this.pointers.has(event.pointerId)) return;
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    var g = this.gesture;
    if (!g) return;
    event.preventDefault();
    if (g.type === 'pinch' && this.pointers.size >= 2) {
      this.set(pinch(g.start, g.from, this.fingers(), this.box()), false);
    } else if (g.type === 'pan') {
      var next = { s: g.start.s, x: g.start.x + event.clientX - g.x, y: g.start.y + event.clientY - g.y };
      this.set(clamp(next, this.box()), false);
      g.moved = g.moved || Math.hypot(event.clientX - g.x, event.clientY - g.y) > 8;
    }
  };

  Zoom.prototype.up = function (event, cancelled) {
    if (!this.pointers.has(event.pointerId)) return;
    var g = this.gesture;
    this.pointers.delete(event.pointerId);
    if (g && g.type === 'pinch') {
      this.gesture = null;
      if (this.state.s < 1.05) this.set({ s: 1, x: 0, y: 0 }, true);
      this.lastTap = null;
      return;
    }
    this.gesture = null;
    if (cancelled || event.pointerType === 'mouse' || (g && g.moved)) return;
    this.tap(event);
  };

  /** Two taps within 300 ms and 30 px: zoom in there, or back out. */
  Zoom.prototype.tap = function (event) {
    var now = Date.now();
    var last = this.lastTap;
    if (last && now - last.t < 300 && Math.hypot(event.clientX - last.x, event.clientY - last.y) < 30) {
      this.lastTap = null;
      this.toggled = now;
      this.set(toggle(this.state, this.point(event.clientX, event.clientY), this.box()), true);
      return;
    }
    this.lastTap = { t: now, x: event.clientX, y: event.clientY };
  };

  /** ctrl+wheel (and trackpad pinch) zooms at the pointer; the wheel pans while zoomed. */
  Zoom.prototype.wheel = function (event) {
    if (!this.enabled()) return;
    if (event.ctrlKey) {
      event.preventDefault();
      var factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002));
      this.set(zoomTo(this.state, this.state.s * factor, this.point(event.clientX, event.clientY), this.box()), false);
    } else if (this.state.s > 1.01) {
      event.preventDefault();
      this.set(clamp({ s: this.state.s, x: this.state.x - event.deltaX, y: this.state.y - event.deltaY }, this.box()), false);
    }
  };

  /** Attach once the viewer has built its elements (on first open). */
  function attach() {
    var viewer = app.viewer;
    if (!viewer || !viewer.el || viewer.zoom) return;
    viewer.zoom = new Zoom(viewer);
  }

  app.on('route', attach);
}(typeof window !== 'undefined' ? window : {}));
