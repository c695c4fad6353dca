/*
 * hgsite years: #/years, a card per year with its count and a cover; a card searches year:<year>, so
 * the page is shareable and the back button works. years() is pure and tested with node --test.
 * Needs dom.js, entries.js, format.js, ui.js and app.js first.
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

  var api = { years: years };
  hgsite.years = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // Page

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui) return;
  var h = hgsite.h;
  var ui = hgsite.ui;

  ui.defineIcons({ years: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5' });

  function searchLink(text) { return hgsite.formatRoute('search', { query: text }); }

  function card(group) {
    var preview = hgsite.pickPreview(group.cover, 320 * ui.dpr());
    var img = h('img.year-cover', { alt: '', loading: 'lazy', decoding: 'async', src: preview ? preview.url : null });
    img.addEventListener('load', function () { app.loaded.add(img.getAttribute('src')); img.classList.add('is-loaded'); });
    var label = group.year || 'No date';
    var href = group.year ? searchLink('year:' + group.year) : searchLink('not exists(date)');
    return h('li.year-card', {}, [h('a.year-link', { href: href, 'data-year': group.year }, [
      img,
      h('span.year-caption', {}, [
        h('span.year-name', { text: label }),
        h('span.year-count', { text: hgsite.formatNumber(group.count) + (group.count === 1 ? ' item' : ' items') })
      ])
    ])]);
  }

  app.view({
    route: 'years',
    nav: { label: 'Years', icon: 'years', order: 20 },
    render: function () {
      app.closeViewer();
      var view = ui.page('page-years', 'Years');
      view.appendChild(h('ol.year-cards', {}, years(app.entries).map(card)));
      app.setView(view);
      doc.title = 'Years – ' + app.title;
    }
  });
}(typeof window !== 'undefined' ? window : {}));
