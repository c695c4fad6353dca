/*
 * hgsite folders: the source folders as albums, #/folders and #/folders/<path>. A folder opens the grid
 * through searches (folder:"<path>" for the folder and everything below, path:"<path>" for the photos
 * directly in it), so every page is a shareable link. folderTree() is pure and tested with node --test.
 * Needs dom.js, entries.js, format.js, ui.js, query.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  /**
   * The folder tree of the database (`folders`: [path, direct, total, cover id]) as nodes with children.
   * @returns {{byPath: Map<string, Object>, roots: Array<Object>}}
   */
  function folderTree(rows) {
    var byPath = new Map();
    (rows || []).forEach(function (row) {
      byPath.set(row[0], { path: row[0], name: row[0].slice(row[0].lastIndexOf('/') + 1), direct: row[1], total: row[2], cover: row[3], children: [] });
    });
    var roots = [];
    byPath.forEach(function (node) {
      var cut = node.path.lastIndexOf('/');
      var parent = cut < 0 ? null : byPath.get(node.path.slice(0, cut));
      (parent ? parent.children : roots).push(node);
    });
    return { byPath: byPath, roots: roots };
  }

  /**
   * What #/folders shows first. With one source its single top folder is left out: its folders are the
   * top level (and `source` is that folder, for the photos directly in it); with several, one per source.
   * @param {{roots: Array<Object>}} tree
   * @returns {{source: ?Object, children: Array<Object>}}
   */
  function topLevel(tree) {
    if (tree.roots.length === 1) return { source: tree.roots[0], children: tree.roots[0].children };
    return { source: null, children: tree.roots };
  }

  /**
   * The trail from the top level to a folder: [{name, path}], the single source left out.
   * @returns {Array<{name: string, path: string}>}
   */
  function trail(tree, path) {
    var top = topLevel(tree).source;
    var parts = path ? path.split('/') : [];
    var out = parts.map(function (part, i) { return { name: part, path: parts.slice(0, i + 1).join('/') }; });
    return top ? out.filter(function (step) { return step.path !== top.path; }) : out;
  }

  /** Whether the folders are worth a page: more than one folder in all. */
  function browsable(tree) { return tree.byPath.size > 1; }

  var api = { folderTree: folderTree, topLevel: topLevel, trail: trail, browsable: browsable };
  hgsite.folders = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // Page

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui || !hgsite.query) return;
  var h = hgsite.h;
  var ui = hgsite.ui;
  var quote = hgsite.query.quote;
  var tree = { byPath: new Map(), roots: [] };

  ui.defineIcons({ folders: 'M3 6h6l2 2h10v11H3z' });

  app.on('data', function (data) { tree = folderTree(data.folders); });

  function search(text) { return hgsite.formatRoute('search', { query: text }); }

  function countText(n) { return hgsite.formatNumber(n) + (n === 1 ? ' item' : ' items'); }

  function cover(entry) {
    var preview = entry ? hgsite.pickPreview(entry, 320 * ui.dpr()) : null;
    var img = h('img.year-cover', { alt: '', loading: 'lazy', decoding: 'async', src: preview ? preview.url : null });
    img.addEventListener('load', function () { app.loaded.add(img.getAttribute('src')); img.classList.add('is-loaded'); });
    return img;
  }

  function folderCards(nodes) {
    var list = h('ol.year-cards.folder-cards');
    nodes.forEach(function (node) {
      list.appendChild(h('li.year-card', {}, [h('a.year-link.folder-link', { href: hgsite.formatRoute('folders', { path: node.path }), 'data-path': node.path }, [
        cover(app.byId.get(node.cover)),
        h('span.year-caption', {}, [h('span.year-name', { text: node.name || node.path }), h('span.year-count', { text: countText(node.total) })])
      ])]));
    });
    return list;
  }

  /**
   * The page's heading: "Folders" at the top level, else the trail "Folders / a / b" with a link on
   * every step but the last (one heading, no second line repeating it).
   */
  function heading(view, path) {
    var title = view.querySelector('.page-title');
    var steps = trail(tree, path);
    if (!steps.length) return;
    title.textContent = '';
    title.appendChild(h('a.crumb', { href: '#/folders', text: 'Folders' }));
    steps.forEach(function (step, i) {
      title.appendChild(h('span.crumb-separator', { 'aria-hidden': 'true', text: ' / ' }));
      title.appendChild(i === steps.length - 1 ? h('span.crumb-current', { text: step.name })
        : h('a.crumb', { href: hgsite.formatRoute('folders', { path: step.path }), text: step.name }));
    });
  }

  /** Links to the searches of a folder: everything in it and below, and what is directly in it. */
  function actions(node) {
    var links = h('p.folder-actions', {}, [h('a.chip.folder-all', { href: search('folder:' + quote(node.path)) }, [
      h('span', { text: 'Show ' + countText(node.total) + (node.children.length ? ' in it and below' : '') })
    ])]);
    if (node.direct && node.children.length) {
      links.appendChild(h('a.chip.folder-direct', { href: search('path:' + quote(node.path)) }, [h('span', { text: countText(node.direct) + ' directly in it' })]));
    }
    return links;
  }

  app.view({
    route: 'folders',
    param: 'path',
    rest: true,
    optional: true,
    nav: { label: 'Folders', icon: 'folders', order: 50, shown: function (data) { return !!data && browsable(folderTree(data.folders)); } },
    render: function (route) {
      app.closeViewer();
      var path = route.params.path || '';
      var node = path ? tree.byPath.get(path) : null;
      if (path && !node) {
        app.notify('There is no folder ' + path + '.');
        return app.navigate('#/folders', true);
      }
      var top = topLevel(tree);
      if (node && node === top.source) node = null;   // the single source is the top level
      var view = ui.page('page-folders', 'Folders');
      heading(view, node ? node.path : '');
      var shown = node || top.source;
      if (shown) view.appendChild(actions(shown));
      var children = node ? node.children : top.children;
      if (children.length) view.appendChild(folderCards(children));
      app.setView(view);
      doc.title = (node ? node.name : 'Folders') + ' – ' + app.title;
      return undefined;
    }
  });
}(typeof window !== 'undefined' ? window : {}));
