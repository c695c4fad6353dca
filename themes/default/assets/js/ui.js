/*
 * hgsite ui: small DOM helpers shared by the grid, the viewer and later views (icons, buttons, pixels).
 * Needs dom.js first.
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
    info: 'M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18zM12 11v6M12 7.5v.5',
    similar: 'M4 4h7v7H4zM13 13h7v7h-7zM13 4h7v7h-7zM4 13h7v7H4z',
    photos: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z'
  };

  /**
   * Add icons for nav entries and viewer actions: name -> the path data of a stroked 24×24 icon.
   * @param {Object<string, string>} paths
   */
  function defineIcons(paths) {
    Object.keys(paths).forEach(function (name) { ICONS[name] = paths[name]; });
  }

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

  /** The page of a view (app.setView): a section with its title; the view adds the rest. */
  function page(cls, title) {
    return h('section.page.' + cls, { 'aria-labelledby': 'hgsite-page-title' }, [
      h('h2.page-title', { id: 'hgsite-page-title', text: title })
    ]);
  }

  function dpr() { return root.devicePixelRatio || 1; }

  function px(value) { return value + 'px'; }

  hgsite.ui = { icon: icon, button: button, page: page, dpr: dpr, px: px, defineIcons: defineIcons, icons: ICONS };

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite.ui;
}(typeof window !== 'undefined' ? window : {}));
