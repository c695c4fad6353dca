/*
 * hgsite tag index: #/tags, the tags, labels, countries and cities of the gallery with their counts.
 * Every chip is a link to a search, so the page is shareable and the back button works. counts() is
 * pure and tested with node --test. Needs dom.js, format.js, ui.js, query.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

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

  var api = { counts: counts };
  hgsite.tagIndex = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // Page

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui || !hgsite.query) return;
  var h = hgsite.h;

  hgsite.ui.defineIcons({ tags: 'M3 12V4h8l9 9-8 8zM7.5 7.5v.5' });

  var GROUPS = [
    { field: 'tags', title: 'Tags', key: 'tag', empty: 'No tags yet: choose Select, pick photos and add a tag.' },
    { field: 'labels', title: 'Labels', key: 'label', empty: 'No automatic labels in this gallery.' },
    { field: 'country', title: 'Countries', key: 'country', empty: '' },
    { field: 'city', title: 'Places', key: 'city', empty: '' }
  ];

  /** The section of one group, or null when it has no values and nothing to say about that. */
  function section(group) {
    var values = counts(app.entries, group.field);
    if (!values.length && !group.empty) return null;
    var node = h('section.tag-group', { 'data-group': group.field }, [h('h3.tag-group-title', { text: group.title })]);
    if (!values.length) node.appendChild(h('p.page-empty', { text: group.empty }));
    var list = h('ul.tag-list');
    values.forEach(function (item) {
      var href = hgsite.formatRoute('search', { query: group.key + ':' + hgsite.query.quote(item.value) });
      list.appendChild(h('li', {}, [h('a.chip.tag-chip', { href: href, 'data-value': item.value }, [
        h('span.tag-name', { text: item.value }),
        h('span.tag-count', { text: hgsite.formatNumber(item.count) })
      ])]));
    });
    if (values.length) node.appendChild(list);
    return node;
  }

  app.view({
    route: 'tags',
    nav: { label: 'Tags', icon: 'tags', order: 30 },
    render: function () {
      app.closeViewer();
      var view = hgsite.ui.page('page-tags', 'Tags');
      GROUPS.map(section).forEach(function (node) { if (node) view.appendChild(node); });
      app.setView(view);
      doc.title = 'Tags – ' + app.title;
    }
  });
}(typeof window !== 'undefined' ? window : {}));
