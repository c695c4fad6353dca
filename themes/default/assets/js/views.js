/*
 * hgsite views: the navigation in the header, #/years (a card per year with its count and a cover) and
 * #/tags (tags, labels and places with their counts). Every card and chip is a link to a search, so
 * views are shareable and the back button works. Needs core.js, ui.js, query.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  /**
   * Entries per year, newest year first, each with a cover: its newest landscape picture, else its newest.
   * @param {Array<Object>} entries  newest first
   * @returns {Array<{year: string, count: number, cover: Object}>}
   */
  function years(entries) {
    var byYear = new Map();
    entries.forEach(function (entry) {
      var year = typeof entry.date === 'string' && /^\d{4}/.test(entry.date) ? entry.date.slice(0, 4) : '';
      var group = byYear.get(year);
      if (!group) byYear.set(year, group = { year: year, count: 0, cover: entry });
      group.count++;
      if (group.cover.width <= group.cover.height && entry.width > entry.height && entry.type !== 'video') group.cover = entry;
    });
    return Array.from(byYear.values()).sort(function (a, b) {
      return a.year === b.year ? 0 : a.year === '' ? 1 : b.year === '' ? -1 : a.year < b.year ? 1 : -1;
    });
  }

  /**
   * How many entries have each value of a field (a string or a list of strings), most first, then by name.
   * @param {Array<Object>} entries
   * @param {string} name  'tags', 'labels', 'country', 'city', ...
   * @returns {Array<{value: string, count: number}>}
   */
  function counts(entries, name) {
    var map = new Map();
    entries.forEach(function (entry) {
      var value = entry[name];
      var list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
      list.forEach(function (item) {
        var text = String(item);
        map.set(text, (map.get(text) || 0) + 1);
      });
    });
    return Array.from(map, function (pair) { return { value: pair[0], count: pair[1] }; }).sort(function (a, b) {
      return b.count - a.count || a.value.toLowerCase().localeCompare(b.value.toLowerCase());
    });
  }

  var api = { years: years, counts: counts };
  hgsite.views = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // Page

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui) return;
  var h = hgsite.h;
  var ui = hgsite.ui;

  Object.assign(ui.icons, {
    photos: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
    years: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5',
    tags: 'M3 12V4h8l9 9-8 8zM7.5 7.5v.5',
    map: 'M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21zM12 7.5a2 2 0 1 1 0 4a2 2 0 1 1 0-4z'
  });

  var NAV = [
    { route: 'all', hash: '#/', label: 'Photos', icon: 'photos' },
    { route: 'years', hash: '#/years', label: 'Years', icon: 'years' },
    { route: 'tags', hash: '#/tags', label: 'Tags', icon: 'tags' },
    { route: 'map', hash: '#/map', label: 'Map', icon: 'map' }
  ];

  var nav = h('nav.bar-nav', { 'aria-label': 'Views' }, NAV.map(function (item) {
    return h('a.bar-nav-link', { href: item.hash, 'data-route': item.route, title: item.label },
      [ui.icon(item.icon), h('span.bar-nav-label', { text: item.label })]);
  }));

  var count = doc.getElementById('hgsite-count');
  if (count && count.parentNode) count.parentNode.insertBefore(nav, count);

  app.on('route', function (route) {
    if (route.name === 'all') doc.title = app.title;
    var current = route.name === 'search' || route.name === 'view' ? '' : route.name;
    Array.prototype.forEach.call(nav.querySelectorAll('a'), function (link) {
      if (link.getAttribute('data-route') === current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
  });

  app.on('data', function () {
    var located = app.entries.some(function (e) { return e.lat !== undefined && e.lon !== undefined; });
    var link = nav.querySelector('[data-route="map"]');
    if (link) link.hidden = !located;
  });

  function searchLink(text) { return hgsite.formatRoute('search', { query: text }); }

  /** A page with a title; sections are added by the caller. */
  function page(cls, title) {
    return h('section.page.' + cls, { 'aria-labelledby': 'hgsite-page-title' }, [
      h('h2.page-title', { id: 'hgsite-page-title', text: title })
    ]);
  }

  app.addRoute('years', null, function () {
    app.closeViewer();
    var view = page('page-years', 'Years');
    var list = h('ol.year-cards');
    years(app.entries).forEach(function (group) {
      var preview = hgsite.pickPreview(group.cover, 320 * ui.dpr());
      var img = h('img.year-cover', { alt: '', loading: 'lazy', decoding: 'async', src: preview ? preview.url : null });
      img.addEventListener('load', function () { app.loaded.add(img.getAttribute('src')); img.classList.add('is-loaded'); });
      var label = group.year || 'No date';
      var href = group.year ? searchLink('year:' + group.year) : searchLink('not exists(date)');
      list.appendChild(h('li.year-card', {}, [h('a.year-link', { href: href, 'data-year': group.year }, [
        img,
        h('span.year-caption', {}, [
          h('span.year-name', { text: label }),
          h('span.year-count', { text: hgsite.formatNumber(group.count) + (group.count === 1 ? ' item' : ' items') })
        ])
      ])]));
    });
    view.appendChild(list);
    app.setView(view);
    doc.title = 'Years – ' + app.title;
  });

  var GROUPS = [
    { field: 'tags', title: 'Tags', key: 'tag', empty: 'No tags yet: choose Select, pick photos and add a tag.' },
    { field: 'labels', title: 'Labels', key: 'label', empty: 'No automatic labels in this gallery.' },
    { field: 'country', title: 'Countries', key: 'country', empty: '' },
    { field: 'city', title: 'Places', key: 'city', empty: '' }
  ];

  app.addRoute('tags', null, function () {
    app.closeViewer();
    var view = page('page-tags', 'Tags');
    GROUPS.forEach(function (group) {
      var values = counts(app.entries, group.field);
      if (!values.length && !group.empty) return;
      var section = h('section.tag-group', { 'data-group': group.field }, [h('h3.tag-group-title', { text: group.title })]);
      if (!values.length) section.appendChild(h('p.page-empty', { text: group.empty }));
      var list = h('ul.tag-list');
      values.forEach(function (item) {
        list.appendChild(h('li', {}, [h('a.chip.tag-chip', { href: searchLink(group.key + ':' + hgsite.query.quote(item.value)), 'data-value': item.value }, [
          h('span.tag-name', { text: item.value }),
          h('span.tag-count', { text: hgsite.formatNumber(item.count) })
        ])]));
      });
      if (values.length) section.appendChild(list);
      view.appendChild(section);
    });
    app.setView(view);
    doc.title = 'Tags – ' + app.title;
  });
}(typeof window !== 'undefined' ? window : {}));
