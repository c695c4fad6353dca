/*
 * hgsite registry: everything that plugs into the app, kept in one place: views (route, nav entry,
 * render), viewer actions, listeners of the app's events and the grid's grouping. Feature scripts
 * register through hgsite.app (app.view, app.viewerAction, app.on, app.groupBy) while the page loads;
 * the app reads the registrations when it starts, after the last script of the page (start.js).
 *
 * Needs router.js first (a view's route is defined there). Pure; tested with node --test.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: the namespace comes with the files this one needs
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./router.js') : (root.hgsite = {}));

  var LAST = 1000;   // the order of registrations that give none: after the others, in registration order

  /**
   * @typedef {{label: string, icon: string, order?: number, shown?: function(?Object): boolean}} NavSpec
   *   label: the link's text; icon: a name of hgsite.ui's icons; order: place in the header (lowest
   *   first); shown(database): whether the link shows, asked with null before the database is loaded
   *   and with the database once it is (a link without `shown` always shows)
   * @typedef {{route: string, param?: string, rest?: boolean, optional?: boolean, nav?: NavSpec,
   *            render: function({name: string, params: Object}): *}} ViewSpec
   *   route: `#/<route>`, with `#/<route>/<value>` when `param` names the value (`rest`: slashes
   *   included; `optional`: the value may be left out); render(route) shows it (app.setView for a page
   *   instead of the grid, app.setList for a list in the grid)
   * @typedef {{key: string, label: string, icon: string, order?: number, run: function(Object)}} ActionSpec
   *   a button in the viewer's bar and its key; run(entry) gets the item shown
   */

  /**
   * A registry over a router: registering a view defines its route.
   * @param {{define: function(string, Object=)}} router
   */
  function createRegistry(router) {
    var views = new Map();   // route name -> {spec, seq}
    var actions = [];        // [{spec, seq}]
    var listeners = {};      // event name -> [function]
    var grouping = null;
    var seq = 0;

    /** Register a view; a later registration of the same route replaces it (a theme may). @param {ViewSpec} spec */
    function view(spec) {
      if (!spec || typeof spec.route !== 'string' || !spec.route || typeof spec.render !== 'function') {
        throw new TypeError('app.view needs a route name and a render function');
      }
      if (spec.nav && (typeof spec.nav.label !== 'string' || typeof spec.nav.icon !== 'string')) {
        throw new TypeError('the nav entry of ' + spec.route + ' needs a label and an icon');
      }
      router.define(spec.route, { param: spec.param || null, rest: !!spec.rest, optional: !!spec.optional });
      views.set(spec.route, { spec: spec, seq: seq++ });
    }

    /** @returns {(function(Object): *)|null} the render function of a route */
    function renderer(name) {
      var found = views.get(name);
      return found ? found.spec.render : null;
    }

    /** @returns {Array<{route: string, label: string, icon: string, shown: function(?Object): boolean}>} in order */
    function navEntries() {
      var list = [];
      views.forEach(function (item) { if (item.spec.nav) list.push(item); });
      return sorted(list, function (item) { return item.spec.nav.order; }).map(function (item) {
        var nav = item.spec.nav;
        return { route: item.spec.route, label: nav.label, icon: nav.icon, shown: nav.shown || always };
      });
    }

    /** Register a button (and key) of the viewer's bar. @param {ActionSpec} spec */
    function viewerAction(spec) {
      if (!spec || typeof spec.key !== 'string' || typeof spec.run !== 'function') {
        throw new TypeError('app.viewerAction needs a key and a run function');
      }
      actions.push({ spec: spec, seq: seq++ });
    }

    /** @returns {Array<ActionSpec>} the viewer's actions, in order */
    function viewerActions() {
      return sorted(actions, function (item) { return item.spec.order; }).map(function (item) { return item.spec; });
    }

    /**
     * Listen to an app event: 'start' (every script has registered; the page starts), 'data' (the
     * database object, once, before the first route is shown; a returned promise is waited for),
     * 'route' (a route was shown), 'tile' (element, entry: a grid tile was made), 'info' (entry, list
     * element: the viewer's details panel was filled), 'show' (entry, stage, size: the viewer shows one).
     */
    function on(name, listener) {
      (listeners[name] = listeners[name] || []).push(listener);
    }

    /** Call the listeners of an event in registration order. @returns {Promise<Array>} their results */
    function emit(name) {
      var args = Array.prototype.slice.call(arguments, 1);
      return Promise.all((listeners[name] || []).map(function (listener) { return listener.apply(null, args); }));
    }

    /**
     * Register how the grid groups a list under headers (timeline.js: months, for lists in date order).
     * @param {function(Array<Object>): (Array<Object>|null)} provider  sections for a list, or null for none
     */
    function groupBy(provider) {
      grouping = provider;
    }

    /** @returns {Array<Object>|null} the grid's sections for a list (null: no headers) */
    function sections(list) {
      return grouping ? grouping(list) : null;
    }

    return {
      view: view, renderer: renderer, navEntries: navEntries, viewerAction: viewerAction,
      viewerActions: viewerActions, on: on, emit: emit, groupBy: groupBy, sections: sections
    };
  }

  function always() { return true; }

  /** Items by their order (a number, LAST when missing), then in registration order. */
  function sorted(items, orderOf) {
    function key(item) {
      var order = orderOf(item);
      return typeof order === 'number' && isFinite(order) ? order : LAST;
    }
    return items.slice().sort(function (a, b) { return key(a) - key(b) || a.seq - b.seq; });
  }

  hgsite.createRegistry = createRegistry;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
