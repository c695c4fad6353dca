/*
 * hgsite router: hash routes are a public contract (#/, #/view/<id>, #/search/<query>, #/map, ...;
 * docs/webapp.md). A view's route is defined here when the view registers with the app.
 * Pure; tested with node --test.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: errors.js makes the namespace
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./errors.js') : (root.hgsite = {}));

  /** @type {Object<string, {param: (string|null), rest: boolean}>} */
  var routes = {};

  /**
   * Declare a route. `#/<name>` for param null, `#/<name>/<value>` otherwise. With rest=true the value is
   * everything after the name, slashes included (search queries); otherwise one segment (ids).
   * @param {string} name
   * @param {{param?: (string|null), rest?: boolean}} [spec]
   */
  function defineRoute(name, spec) {
    routes[name] = { param: (spec && spec.param) || null, rest: !!(spec && spec.rest), optional: !!(spec && spec.optional) };
  }

  function decode(text) {
    try { return decodeURIComponent(text); } catch (err) { return text; }
  }

  /**
   * Parse a location hash. Unknown or malformed routes come back as {name: 'all', known: false}.
   * @param {string} hash  e.g. '#/view/3f9a0c2d4b5e6f71'
   * @returns {{name: string, params: Object<string, string>, known: boolean}}
   */
  function parseRoute(hash) {
    var path = String(hash || '').replace(/^#/, '').replace(/^\/+/, '');
    var fallback = { name: 'all', params: {}, known: path === '' };
    if (path === '') return fallback;
    var slash = path.indexOf('/');
    var name = slash < 0 ? path : path.slice(0, slash);
    var value = slash < 0 ? '' : path.slice(slash + 1);
    var spec = Object.prototype.hasOwnProperty.call(routes, name) ? routes[name] : null;
    if (!spec || name === 'all') return fallback;
    var params = {};
    if (spec.param) {
      if (!spec.rest) value = value.replace(/\/+$/, '');
      if (value === '' && spec.optional) return { name: name, params: {}, known: true };
      if (value === '' || (!spec.rest && value.indexOf('/') >= 0)) return fallback;
      params[spec.param] = decode(value);
    } else if (value.replace(/\/+$/, '') !== '') {
      return fallback;
    }
    return { name: name, params: params, known: true };
  }

  /**
   * Build the hash for a route: formatRoute('view', {id: 'ab'}) -> '#/view/ab'.
   * @param {string} name
   * @param {Object<string, string>} [params]
   * @returns {string}
   */
  function formatRoute(name, params) {
    if (name === 'all' || !routes[name]) return '#/';
    var spec = routes[name];
    if (!spec.param) return '#/' + name;
    var value = encodeURIComponent(String((params || {})[spec.param] || ''));
    if (spec.rest) value = value.replace(/%2F/g, '/');
    return value === '' && spec.optional ? '#/' + name : '#/' + name + '/' + value;
  }

  defineRoute('all');
  defineRoute('view', { param: 'id' });

  hgsite.router = { define: defineRoute, parse: parseRoute, format: formatRoute, routes: routes };
  hgsite.parseRoute = parseRoute;
  hgsite.formatRoute = formatRoute;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
