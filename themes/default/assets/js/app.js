/*
 * hgsite app: state, router dispatch and start-up; the grid and the viewer live in grid.js and viewer.js.
 *
 * Needs the scripts before it in scripts.json (dom.js, router.js, registry.js, grid.js, viewer.js, ...).
 * Views (search, map, ...) are further classic scripts loaded after this one; they register with
 * hgsite.app.view({route, nav, render}), and viewer actions and listeners likewise (registry.js). The
 * page starts in start.js, the last script, so every registration is there before the first route.
 *
 * Database text (file names, cameras, tags) only ever reaches the page through textContent and
 * setAttribute (hgsite.h), never innerHTML.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;
  var h = hgsite.h;
  var Grid = hgsite.Grid;
  var Viewer = hgsite.Viewer;
  var registry = hgsite.createRegistry(hgsite.router);

  // ---------------------------------------------------------------------------------------------------
  // App: state, routes, start-up

  var app = {
    entries: [],          // every entry of the database, newest first
    byId: new Map(),      // id -> entry
    list: [],             // the entries the grid shows now (all of them, later a search result)
    listIndex: new Map(), // id -> index in list
    loaded: new Set(),    // preview URLs the browser has loaded
    route: null,
    gridHash: '#/',       // the last non-viewer route, where closing the viewer returns to
    viewerFromGrid: false,
    savedScroll: 0,
    grid: null,
    viewer: null,
    page: null,           // the page shown instead of the grid (app.setView), or null
    pendingPage: null,
    heading: null,        // the heading above the grid (app.setHeading), or null
    headingHash: '',      // the route it belongs to
    gridScroll: 0,
    ready: null           // Promise, resolved once the first route is shown
  };

  // The registrations (registry.js): app.view({route, param, rest, optional, nav, render}),
  // app.viewerAction({key, label, icon, order, run}), app.on(event, listener), app.groupBy(provider).
  app.view = registry.view;
  app.viewerAction = registry.viewerAction;
  app.on = registry.on;
  app.emit = registry.emit;
  app.groupBy = registry.groupBy;
  app.navEntries = registry.navEntries;

  /** The older way to register a view without a nav entry; themes may still call it. */
  app.addRoute = function (name, spec, render) {
    registry.view(Object.assign({}, spec, { route: name, render: render }));
  };

  /** The last search: {text, ms, count}; kept by search.js, which owns it (hgsite.search.last()). */
  Object.defineProperty(app, 'lastSearch', {
    enumerable: true,
    get: function () { return hgsite.search ? hgsite.search.last() : null; }
  });

  /**
   * Show `list` in the grid; the viewer steps through the same list. Unless options.grouped is false,
   * the registered grouping (timeline.js) gives the grid its date headers when the list is in date order.
   * With options.sections the list comes in those groups instead (the duplicates view's; see grid.js).
   * @param {Array<Object>} list
   * @param {{grouped?: boolean, sections?: Array<Object>, headerHeight?: number}} [options]
   */
  app.setList = function (list, options) {
    var changed = app.list !== list;
    app.list = list;
    app.listIndex = new Map();
    list.forEach(function (entry, index) { app.listIndex.set(entry.id, index); });
    var grouped = !options || options.grouped !== false;
    var sections = options && options.sections ? options.sections : grouped ? registry.sections(list) : null;
    app.grid.setEntries(list, { sections: sections, headerHeight: options && options.headerHeight });
    if (changed && !app.page) root.scrollTo(0, 0);
    if (changed) app.gridScroll = 0;   // a new list starts at its top, also behind a view
    app.showCount();
  };

  /**
   * A view's render calls this to show a page (years, tags, map) instead of the grid; routes that do
   * not call it show the grid. The grid keeps its scroll position meanwhile.
   * @param {HTMLElement} node
   */
  app.setView = function (node) { app.pendingPage = node; };

  /**
   * A list view's heading above the grid (the similar view shows what it is similar to). It belongs to
   * the route shown and goes when another route is shown; the viewer opens over it. Null removes it.
   * @param {?HTMLElement} node
   */
  app.setHeading = function (node) {
    var main = doc.getElementById('hgsite-main');
    if (app.heading && app.heading !== node) app.heading.remove();
    app.heading = node || null;
    app.headingHash = app.gridHash;
    if (node && node.parentNode !== main) main.insertBefore(node, app.grid.el);
    if (app.grid.layout) app.grid.update();
  };

  function showView(node) {
    if (node === app.page) return;
    var main = doc.getElementById('hgsite-main');
    if (!app.page) app.gridScroll = root.pageYOffset;
    if (app.page) app.page.remove();
    app.page = node;
    app.grid.el.hidden = !!node;
    if (node) {
      main.appendChild(node);
      root.scrollTo(0, 0);
    } else {
      if (app.grid.layout) app.grid.resized();
      else app.grid.relayout();   // the list was set while the grid was hidden (no width to lay out)
      root.scrollTo(0, app.gridScroll || 0);
    }
  }

  app.showCount = function () {
    var node = doc.getElementById('hgsite-count');
    if (!node) return;
    var total = app.entries.length;
    var noun = total === 1 ? ' item' : ' items';
    node.textContent = app.list.length === total
      ? hgsite.formatNumber(total) + noun
      : hgsite.formatNumber(app.list.length) + ' of ' + hgsite.formatNumber(total) + noun;
  };

  /**
   * Go to a hash. With `replace` the current history entry is replaced (stepping in the viewer).
   * Falls back to location when the History API refuses (some browsers on file://).
   */
  app.navigate = function (hash, replace) {
    if (root.location.hash === hash) return app.dispatch();
    try {
      root.history[replace ? 'replaceState' : 'pushState'](null, '', hash);
    } catch (err) {
      if (replace) root.location.replace(hash);
      else root.location.hash = hash;
      return undefined;   // hashchange dispatches
    }
    return app.dispatch();
  };

  /** Show the route of the current hash. Safe to call repeatedly. */
  app.dispatch = function () {
    var route = hgsite.router.parse(root.location.hash);
    var render = registry.renderer(route.name);
    if (!route.known || !render) {
      if (root.location.hash !== '' && root.location.hash !== '#/') app.notify('Unknown address, showing everything.');
      route = { name: 'all', params: {}, known: true };
      render = registry.renderer('all');
      replaceHash('#/');
    }
    var previous = app.route;
    app.route = route;
    if (route.name === 'view') {
      app.viewerFromGrid = previous ? previous.name !== 'view' || app.viewerFromGrid : false;
    } else {
      app.gridHash = hgsite.router.format(route.name, route.params);
      if (app.heading && app.headingHash !== app.gridHash) app.setHeading(null);
    }
    app.pendingPage = route.name === 'view' ? app.page : null;   // the viewer opens over what is shown
    render(route);
    showView(app.pendingPage);
    app.emit('route', route);
  };

  function replaceHash(hash) {
    try { root.history.replaceState(null, '', hash); } catch (err) { /* keep the odd hash */ }
  }

  app.view({
    route: 'all',
    nav: { label: 'Photos', icon: 'photos', order: 10 },
    render: function () {
      app.closeViewer();
      if (app.list !== app.entries) app.setList(app.entries);
      doc.title = app.title;
    }
  });

  app.view({
    route: 'view',
    param: 'id',
    render: function (route) {
      var id = route.params.id;
      if (!app.byId.has(id)) {
        app.notify('There is no item with the id ' + id + '.');
        return app.navigate(app.gridHash === hgsite.formatRoute('view', { id: id }) ? '#/' : app.gridHash, true);
      }
      if (!app.listIndex.has(id)) app.setList(app.entries);
      return app.openViewer(app.listIndex.get(id));
    }
  });

  app.openViewer = function (index) {
    var entry = app.list[index];
    if (!app.viewer.isOpen) {
      app.savedScroll = root.pageYOffset;
      app.grid.suspend();
      doc.documentElement.classList.add('is-viewing');
      setInert(true);
    }
    app.viewer.open(app.list, index);
    doc.title = hgsite.entryName(entry) + ' – ' + app.title;
  };

  /** Hide the viewer (the route has already changed), restore the grid's scroll, focus the tile. */
  app.closeViewer = function () {
    if (!app.viewer.isOpen) return;
    var entry = app.viewer.current();
    app.viewer.close();
    setInert(false);
    doc.documentElement.classList.remove('is-viewing');
    doc.title = app.title;
    root.scrollTo(0, app.savedScroll);
    app.grid.resume();
    if (entry && app.listIndex.has(entry.id)) {
      app.grid.reveal(app.listIndex.get(entry.id), { focus: true, center: true });
    }
  };

  /** Leave the viewer: back in history when the grid is the previous entry, else replace the hash. */
  app.leaveViewer = function () {
    if (app.viewerFromGrid) root.history.back();
    else app.navigate(app.gridHash, true);
  };

  function setInert(inert) {
    ['hgsite-header', 'hgsite-main'].forEach(function (id) {
      var node = doc.getElementById(id);
      if (!node) return;
      if (inert) node.setAttribute('inert', '');
      else node.removeAttribute('inert');
    });
  }

  /** A short message that disappears by itself (role=status). */
  app.notify = function (text) {
    var box = doc.getElementById('hgsite-toast');
    if (!box) {
      box = h('div.toast', { id: 'hgsite-toast', role: 'status' });
      doc.body.appendChild(box);
    }
    box.textContent = text;
    box.classList.add('is-visible');
    clearTimeout(app.notifyTimer);
    app.notifyTimer = setTimeout(function () { box.classList.remove('is-visible'); }, 4000);
  };

  /** Replace the page content with an explanation; never leave a blank page. */
  app.fail = function (error) {
    doc.documentElement.setAttribute('data-state', 'error');
    var main = doc.getElementById('hgsite-main') || doc.body;
    main.textContent = '';
    var hint = error && error.hint ? error.hint : '';
    if (!hint && root.location.protocol === 'file:') {
      hint = 'Open index.html from the folder hgsite built, with its "data", "assets" and "files" folders next to it.';
    }
    main.appendChild(h('div.message.message-error', { role: 'alert' }, [
      h('h2', { text: 'The gallery could not be loaded' }),
      h('p', { text: error && error.message ? error.message : String(error) }),
      hint ? h('p.message-hint', { text: hint }) : null
    ]));
    if (root.console) root.console.error(error);
  };

  app.showEmpty = function () {
    var main = doc.getElementById('hgsite-main');
    main.appendChild(h('div.message', {}, [
      h('h2', { text: 'No photos or videos yet' }),
      h('p', { text: 'The build found nothing to show. Add folders with photos or videos and build again.' })
    ]));
  };

  /** Start the page: start.js calls this once, after every script has registered. */
  app.start = function () {
    doc.documentElement.setAttribute('data-state', 'loading');
    app.title = doc.title;
    var header = doc.getElementById('hgsite-header');
    app.grid = new Grid({
      loaded: app.loaded,
      insetTop: function () { return header ? header.getBoundingClientRect().bottom : 0; },
      decorate: function (el, entry) { app.emit('tile', el, entry); }
    });
    app.viewer = new Viewer({
      loaded: app.loaded,
      onStep: function (index) {
        app.navigate(hgsite.formatRoute('view', { id: app.list[index].id }), true);
      },
      onClose: app.leaveViewer,
      onInfo: function (entry, list) { app.emit('info', entry, list); },
      onShow: function (entry, stage, size) { app.emit('show', entry, stage, size); },
      actions: registry.viewerActions()
    });
    app.emit('start');
    mark('hgsite:start');
    app.ready = hgsite.loadData('database', { onPrefix: showHead }).then(function (data) {
      mark('hgsite:data');
      app.entries = hgsite.checkDatabase(data);
      app.entries.forEach(function (entry) { app.byId.set(entry.id, entry); });
      app.database = data;
      return app.emit('data', data);
    }).then(function () {
      var main = doc.getElementById('hgsite-main');
      main.textContent = '';
      main.appendChild(app.grid.el);
      app.setList(app.entries);
      if (!app.entries.length) app.showEmpty();
      root.addEventListener('hashchange', app.dispatch);
      app.dispatch();
      doc.documentElement.setAttribute('data-state', 'ready');
      mark('hgsite:ready');
    }).catch(app.fail);
    return app.ready;
  };

  /**
   * Show the first screen of the grid from the start of the database text, while the rest is still
   * being decompressed and parsed (a large gallery takes a moment). Only on the main route: the full
   * list replaces it as soon as it is there.
   */
  function showHead(text) {
    if (app.entries.length || (root.location.hash !== '' && root.location.hash !== '#/')) return;
    var head = hgsite.parseHead(text, 400);
    if (!head.entries.length) return;
    hgsite.setPreviewTags(head.previews);
    var main = doc.getElementById('hgsite-main');
    main.textContent = '';
    main.appendChild(app.grid.el);
    app.grid.setEntries(head.entries, { sections: registry.sections(head.entries) });
    mark('hgsite:head');
  }

  /** performance.mark for benchmarks (bench/ reads hgsite:start, hgsite:head, hgsite:data, hgsite:ready). */
  function mark(name) {
    if (root.performance && root.performance.mark) root.performance.mark(name);
  }

  hgsite.app = app;

  if (typeof module !== 'undefined' && module.exports) module.exports = app;
}(typeof window !== 'undefined' ? window : {}));
