/*
 * hgsite nav: the navigation in the header, made from the views' nav entries (hgsite.app.view({route,
 * nav: {label, icon, order, shown}, render})) when the page starts: one link per entry, in their order.
 * A link shows while its entry's shown(database) is true (asked with null before the database is
 * loaded), and the link of the route shown carries aria-current="page".
 * Needs dom.js, router.js, ui.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui) return;
  var h = hgsite.h;
  var ui = hgsite.ui;

  /** @type {Array<{entry: {route: string, shown: function(?Object): boolean}, link: HTMLElement}>} */
  var links = [];

  /** Put the links into the header, before the item count. */
  function build() {
    var nav = h('nav.bar-nav', { 'aria-label': 'Views' });
    links = app.navEntries().map(function (entry) {
      var link = h('a.bar-nav-link', {
        href: hgsite.formatRoute(entry.route), 'data-route': entry.route, title: entry.label, hidden: !entry.shown(null)
      }, [ui.icon(entry.icon), h('span.bar-nav-label', { text: entry.label })]);
      nav.appendChild(link);
      return { entry: entry, link: link };
    });
    var count = doc.getElementById('hgsite-count');
    if (count && count.parentNode) count.parentNode.insertBefore(nav, count);
  }

  app.on('start', build);

  app.on('data', function (data) {
    links.forEach(function (item) { item.link.hidden = !item.entry.shown(data); });
  });

  app.on('route', function (route) {
    links.forEach(function (item) {
      if (item.entry.route === route.name) item.link.setAttribute('aria-current', 'page');
      else item.link.removeAttribute('aria-current');
    });
  });
}(typeof window !== 'undefined' ? window : {}));
