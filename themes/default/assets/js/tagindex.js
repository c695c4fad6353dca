/*
 * hgsite tag index: #/tags, the tags, people, labels, countries and cities of the gallery with their counts.
 * Every chip is a link to a search, so the page is shareable and the back button works. counts(),
 * tagCounts() and labelCounts() are pure and tested with node --test. Needs dom.js, format.js, ui.js,
 * query.js and app.js first.
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

  var PEOPLE_ROOT = /^(people|person|persons)\/./i;   // tag folders that name people (as the build reads them)

  /**
   * The user's tags without those that name a person of the entry: People/<name> (the People group shows
   * the person) and a plain tag that is a person's name too (Lightroom and digiKam write both).
   * @returns {Array<{value: string, count: number}>}
   */
  function tagCounts(entries) {
    return counts(entries.map(function (entry) {
      var people = (Array.isArray(entry.people) ? entry.people : []).map(function (name) { return String(name).toLowerCase(); });
      var tags = Array.isArray(entry.tags) ? entry.tags : [];
      return {
        tags: tags.filter(function (tag) {
          var text = String(tag);
          return !PEOPLE_ROOT.test(text) && people.indexOf(text.toLowerCase()) < 0;
        })
      };
    }), 'tags');
  }

  /**
   * Automatic labels, one entry per concept: a word that comes after another one on every item that has it
   * (a synonym after its class name: "lamp shade" after "lampshade") is an alias of that word, not an
   * entry of its own. It stays searchable; the page lists it as the entry's aliases.
   * @returns {Array<{value: string, count: number, aliases: Array<string>}>}
   */
  function labelCounts(entries) {
    var before = new Map();   // label -> the labels that preceded it on every item so far
    entries.forEach(function (entry) {
      var list = Array.isArray(entry.labels) ? entry.labels.map(String) : [];
      list.forEach(function (label, at) {
        var earlier = list.slice(0, at);
        var known = before.get(label);
        before.set(label, known ? known.filter(function (other) { return earlier.indexOf(other) >= 0; }) : earlier);
      });
    });
    function head(label) {
      for (var seen = 0; before.get(label).length && seen < before.size; seen++) label = before.get(label)[0];
      return label;
    }
    var aliases = new Map();
    before.forEach(function (earlier, label) {
      if (!earlier.length) return;
      var main = head(label);
      aliases.set(main, (aliases.get(main) || []).concat([label]));
    });
    return counts(entries, 'labels').filter(function (item) { return !before.get(item.value).length; })
      .map(function (item) { return { value: item.value, count: item.count, aliases: aliases.get(item.value) || [] }; });
  }

  var api = { counts: counts, tagCounts: tagCounts, labelCounts: labelCounts };
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
    { field: 'tags', title: 'Tags', key: 'tag', count: tagCounts, empty: 'No tags yet: choose Select, pick photos and add a tag.' },
    { field: 'people', title: 'People', key: 'person', empty: '' },
    { field: 'labels', title: 'Labels', key: 'label', count: labelCounts, empty: 'No automatic labels in this gallery.' },
    { field: 'country', title: 'Countries', key: 'country', empty: '' },
    { field: 'city', title: 'Places', key: 'city', empty: '' }
  ];

  /** The section of one group, or null when it has no values and nothing to say about that. */
  function section(group) {
    var values = group.count ? group.count(app.entries) : counts(app.entries, group.field);
    if (!values.length && !group.empty) return null;
    var node = h('section.tag-group', { 'data-group': group.field }, [h('h3.tag-group-title', { text: group.title })]);
    if (!values.length) node.appendChild(h('p.page-empty', { text: group.empty }));
    var list = h('ul.tag-list');
    values.forEach(function (item) {
      var href = hgsite.formatRoute('search', { query: group.key + ':' + hgsite.query.quote(item.value) });
      var attributes = { href: href, 'data-value': item.value };
      if (item.aliases && item.aliases.length) attributes.title = 'also: ' + item.aliases.join(', ');
      list.appendChild(h('li', {}, [h('a.chip.tag-chip', attributes, [
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
