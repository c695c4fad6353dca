/*
 * hgsite slideshow controls: what the viewer of a slideshow touches and what it asks of the screen. The
 * bar (close, step, pause, seconds per photo, shuffle, loop, sound, full screen), the keys, swipes, the
 * bar hiding after 2.5 s without the mouse, full screen (leaving it with Esc leaves the slideshow) and
 * the Screen Wake Lock.
 *
 * The player (slideshow-player.js) builds these and hands them what to do (`actions`); the choice of
 * seconds and the reading of a swipe are pure and tested with node --test.
 * Needs dom.js, ui.js and slideshow.js first for the page.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  var IDLE_MS = 2500;

  /**
   * The seconds per photo to choose from: the usual ones, and the stored one where it is not among them.
   * @param {number[]} intervals  the usual ones, ascending
   * @param {number} interval  the one in the settings
   * @returns {number[]}
   */
  function intervalChoices(intervals, interval) {
    if (intervals.indexOf(interval) >= 0) return intervals;
    return intervals.concat([interval]).sort(function (a, b) { return a - b; });
  }

  /**
   * Where a touch that moved by (dx, dy) steps: 1 (swiped left: the next one), -1 (swiped right: the one
   * before), 0 (not a swipe, a tap).
   * @returns {number}
   */
  function swipeStep(dx, dy) {
    if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy) * 1.5) return dx < 0 ? 1 : -1;
    return 0;
  }

  var api = { intervalChoices: intervalChoices, swipeStep: swipeStep };
  hgsite.slideshowControls = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // The page (browser only)

  var doc = root.document;
  if (!doc || !hgsite.ui || !hgsite.slideshow) return;
  var h = hgsite.h;
  var ui = hgsite.ui;

  function noop() {}

  /** The bar's buttons, by name. */
  function makeButtons() {
    return {
      pauseButton: ui.button('slideshow-button.slideshow-pause', 'Pause (space)', 'pause'),
      prevButton: ui.button('slideshow-button', 'Previous (←)', 'prev'),
      nextButton: ui.button('slideshow-button', 'Next (→)', 'next'),
      shuffleButton: ui.button('slideshow-button.slideshow-shuffle', 'Shuffle', 'shuffle'),
      loopButton: ui.button('slideshow-button.slideshow-loop', 'Loop', 'loop'),
      muteButton: ui.button('slideshow-button.slideshow-mute', 'Sound on (m)', 'muted'),
      fullButton: ui.button('slideshow-button', 'Full screen (f)', 'fullscreen'),
      closeButton: ui.button('slideshow-button.slideshow-close', 'Close (Esc)', 'close')
    };
  }

  /** The seconds per photo, with the stored value selected. */
  function makeSelect(interval) {
    var select = h('select.slideshow-interval', { 'aria-label': 'Seconds per photo', title: 'Seconds per photo' });
    intervalChoices(hgsite.slideshow.INTERVALS, interval).forEach(function (n) {
      select.appendChild(h('option', { value: String(n), selected: n === interval, text: n + ' s' }));
    });
    return select;
  }

  /**
   * The slideshow's elements: `el` (the dialog) holds the stage the slides go in, a message and the bar.
   * @param {{interval: number, shuffle: boolean, loop: boolean}} settings
   */
  function build(settings) {
    var c = makeButtons();
    c.stage = h('div.slideshow-stage');
    c.caption = h('span.slideshow-caption');
    c.counter = h('span.slideshow-counter');
    c.select = makeSelect(settings.interval);
    setPressed(c.shuffleButton, settings.shuffle);
    setPressed(c.loopButton, settings.loop);
    c.bar = h('div.slideshow-bar', {}, [
      c.closeButton, h('div.slideshow-title', {}, [c.caption, c.counter]),
      c.prevButton, c.pauseButton, c.nextButton, c.select, c.shuffleButton, c.loopButton,
      c.muteButton, c.fullButton
    ]);
    c.message = h('p.slideshow-message', { hidden: true });
    c.el = h('div.slideshow', { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Slideshow', tabindex: '-1', 'data-state': 'playing' },
      [c.stage, c.message, c.bar]);
    c.onMove = idleHider(c.el);
    return c;
  }

  /** A button's icon and label (its aria-label and title). */
  function setLabel(button, iconName, label) {
    button.replaceChildren(ui.icon(iconName));
    button.setAttribute('aria-label', label);
    button.title = label;
  }

  function setPressed(button, on) { button.setAttribute('aria-pressed', String(on)); }

  /** @returns {function()} shows the bar, and hides it again after IDLE_MS without a call */
  function idleHider(el) {
    var idle = 0;
    return function () {
      el.classList.remove('is-idle');
      clearTimeout(idle);
      idle = setTimeout(function () { el.classList.add('is-idle'); }, IDLE_MS);
    };
  }

  /**
   * Wire the bar, the mouse and touches to the actions:
   * {leave, step(delta), toggle, shuffle, loop, mute, fullscreen, interval(seconds)}.
   * @returns {function(KeyboardEvent)} the keydown listener the document gets while the show is open
   */
  function bind(c, actions) {
    c.closeButton.addEventListener('click', actions.leave);
    c.prevButton.addEventListener('click', function () { actions.step(-1); });
    c.nextButton.addEventListener('click', function () { actions.step(1); });
    c.pauseButton.addEventListener('click', function () { actions.toggle(); });
    c.shuffleButton.addEventListener('click', function () { actions.shuffle(); });
    c.loopButton.addEventListener('click', function () { actions.loop(); });
    c.muteButton.addEventListener('click', function () { actions.mute(); });
    c.fullButton.addEventListener('click', function () { actions.fullscreen(); });
    c.select.addEventListener('change', function () { actions.interval(Number(c.select.value)); });
    // space is the show's pause key, also while a button has the focus (whose click comes on keyup)
    c.el.addEventListener('keyup', function (event) { if (event.key === ' ') event.preventDefault(); });
    c.el.addEventListener('mousemove', c.onMove);
    bindSwipe(c.stage, actions, c.onMove);
    return keyHandler(actions, c.onMove);
  }

  /** Space pauses and resumes, the arrows step, Esc leaves, `f` full screen, `m` sound. */
  function keyHandler(actions, onMove) {
    var keys = {
      ' ': function () { actions.toggle(); },
      ArrowRight: function () { actions.step(1); },
      ArrowLeft: function () { actions.step(-1); },
      Escape: actions.leave,
      f: function () { actions.fullscreen(); },
      m: function () { actions.mute(); }
    };
    return function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.key !== 'Escape') return;
      var action = Object.prototype.hasOwnProperty.call(keys, event.key) ? keys[event.key] : null;
      if (!action) return;
      event.preventDefault();
      onMove();
      action();
    };
  }

  /** Swipe left or right to step; a tap shows the controls. */
  function bindSwipe(stage, actions, onMove) {
    var start = null;
    stage.addEventListener('touchstart', function (event) {
      start = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
    }, { passive: true });
    stage.addEventListener('touchend', function (event) {
      if (!start || !event.changedTouches.length) return;
      var dx = event.changedTouches[0].clientX - start.x;
      var dy = event.changedTouches[0].clientY - start.y;
      start = null;
      var delta = swipeStep(dx, dy);
      if (delta) actions.step(delta);
      else onMove();
    }, { passive: true });
  }

  /**
   * Full screen for `el`. Leaving it by the browser's own Esc (not by the show) calls `leave`: the browser
   * does not tell the page that key.
   */
  function Fullscreen(el, leave) {
    var self = this;
    this.el = el;
    this.leave = leave;
    this.on = false;        // the show is in full screen
    this.exiting = false;   // the show itself asked to leave it
    this.onChange = function () { self.changed(); };
  }

  Fullscreen.prototype.toggle = function () {
    if (doc.fullscreenElement) {
      this.exit();
    } else if (this.el.requestFullscreen) {
      var self = this;
      this.el.requestFullscreen().then(function () { self.on = true; }, function () { /* not allowed here */ });
    }
  };

  Fullscreen.prototype.exit = function () {
    this.exiting = true;
    doc.exitFullscreen().catch(noop);
  };

  /** The document's fullscreenchange. */
  Fullscreen.prototype.changed = function () {
    if (!doc.fullscreenElement && this.on && !this.exiting) this.leave();
    this.on = !!doc.fullscreenElement;
    this.exiting = false;
  };

  /**
   * Keep the screen on (Wake Lock API, where the browser has it and allows it) while `wanted()` is true
   * when the lock arrives.
   */
  function WakeLock(wanted) {
    this.wanted = wanted;
    this.lock = null;
  }

  WakeLock.prototype.set = function (on) {
    var self = this;
    var wakeLock = root.navigator.wakeLock;
    if (!on) {
      if (this.lock) this.lock.release().catch(noop);
      this.lock = null;
      return;
    }
    if (!wakeLock || this.lock || doc.visibilityState !== 'visible') return;
    wakeLock.request('screen').then(function (lock) {
      if (!self.wanted()) lock.release().catch(noop);
      else self.lock = lock;
    }, function () { /* not allowed (battery saver, insecure context): the screen may dim */ });
  };

  api.build = build;
  api.bind = bind;
  api.setLabel = setLabel;
  api.setPressed = setPressed;
  api.Fullscreen = Fullscreen;
  api.WakeLock = WakeLock;
}(typeof window !== 'undefined' ? window : {}));
