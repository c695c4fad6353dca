/*
 * hgsite errors: the error the page shows to the person looking at it. The first script of the page:
 * it makes the `window.hgsite` namespace that every other script attaches to.
 *
 * A classic script (no ES modules: they are blocked on file://). Loaded by node (`require`), it exports
 * the namespace, so the scripts that need it share one object in `node --test` as they do in the page.
 */
(function (root) {
  'use strict';

  /** @type {any} */
  var hgsite = root.hgsite || (root.hgsite = {});

  /**
   * An error whose message is meant for the person looking at the page.
   * @param {string} message
   * @param {string} [hint]  what the user can do about it
   * @constructor
   */
  function DataError(message, hint) {
    var error = new Error(message);
    Object.setPrototypeOf(error, DataError.prototype);
    error.name = 'DataError';
    error.hint = hint || '';
    return error;
  }
  DataError.prototype = Object.create(Error.prototype);
  DataError.prototype.constructor = DataError;

  hgsite.DataError = DataError;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
