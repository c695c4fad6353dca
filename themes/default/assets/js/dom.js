/*
 * hgsite dom: hgsite.h, the one way the scripts make elements. Text always goes through textContent
 * and attributes through setAttribute: data from the database never goes through innerHTML.
 * Touches the document only when called.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: errors.js makes the namespace
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./errors.js') : (root.hgsite = {}));

  /**
   * Create an element. Text is always set with textContent, attributes with setAttribute: data from the
   * database never goes through innerHTML.
   * @param {string} tag  'div' or 'div.class-a.class-b'
   * @param {Object<string, *>} [attrs]  attribute values; `text` sets textContent; null/false skip
   * @param {Array<Node|string>} [children]
   * @returns {HTMLElement}
   */
  function h(tag, attrs, children) {
    var parts = tag.split('.');
    var node = root.document.createElement(parts[0]);
    if (parts.length > 1) node.className = parts.slice(1).join(' ');
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = String(value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? root.document.createTextNode(child) : child);
    });
    return node;
  }

  hgsite.h = h;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
